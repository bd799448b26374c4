package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"

	"github.com/acme/shop/libs/logging"
	ordershttp "github.com/acme/shop/orders/internal/http"
	"github.com/acme/shop/orders/internal/store"
)

func main() {
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		dsn = "postgres://shop:shop-secret@postgres:5432/shop?sslmode=disable"
	}
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		log.Fatal(err)
	}
	logging.Info("orders starting")
	mux := http.NewServeMux()
	ordershttp.Register(mux, store.New(db))
	log.Fatal(http.ListenAndServe(":8080", mux))
}
