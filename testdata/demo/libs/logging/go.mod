module github.com/acme/shop/libs/logging

go 1.26
