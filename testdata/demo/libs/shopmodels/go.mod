module github.com/acme/shop/libs/shopmodels

go 1.26
