package main

import (
	"database/sql"
	"log"
	"os"

	"github.com/acme/shop/payments/internal/billing"
)

func main() {
	db, err := sql.Open("postgres", envOr("DATABASE_URL", "host=postgres port=5432 dbname=shop user=shop password=shop-secret sslmode=disable"))
	if err != nil {
		log.Fatal(err)
	}
	billing.Run(db)
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
