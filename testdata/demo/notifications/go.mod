module github.com/acme/shop/notifications

go 1.26
