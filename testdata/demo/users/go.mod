module github.com/acme/shop/users

go 1.26
