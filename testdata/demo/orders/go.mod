module github.com/acme/shop/orders

go 1.26

require (
	github.com/acme/shop/libs/logging v0.0.0
	github.com/acme/shop/libs/shopmodels v0.0.0
)

replace (
	github.com/acme/shop/libs/logging => ../libs/logging
	github.com/acme/shop/libs/shopmodels => ../libs/shopmodels
)
