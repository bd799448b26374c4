module github.com/acme/shop/payments

go 1.26

require (
	github.com/acme/shop/libs/shopmodels v0.0.0
	github.com/acme/shop/orders v0.0.0
)

replace (
	github.com/acme/shop/libs/shopmodels => ../libs/shopmodels
	github.com/acme/shop/orders => ../orders
)
