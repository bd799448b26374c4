// Package billing charges orders. It reaches straight into the orders
// service: its internal store and its table.
package billing

import (
	"context"
	"database/sql"
	"log"

	"github.com/acme/shop/libs/shopmodels"
	"github.com/acme/shop/orders/internal/store"
	"github.com/acme/shop/orders/ordersclient"
)

// Run settles every unpaid order.
func Run(db *sql.DB) {
	ctx := context.Background()
	orders := store.New(db)
	rows, err := db.QueryContext(ctx, "SELECT id, total_cents FROM orders WHERE status = 'new'")
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p shopmodels.Payment
		if err := rows.Scan(&p.OrderID, &p.AmountCents); err != nil {
			log.Fatal(err)
		}
		_, _ = db.ExecContext(ctx, "INSERT INTO payments (order_id, amount_cents) VALUES ($1, $2)", p.OrderID, p.AmountCents)
		_ = orders.MarkPaid(ctx, p.OrderID)
		_ = ordersclient.GetOrderRequest{Id: p.OrderID}
	}
}
