module github.com/acme/shop/catalog

go 1.26
