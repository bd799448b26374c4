// Package store is the orders service's persistence. It is internal to
// orders: no other service should compile against it.
package store

import (
	"context"
	"database/sql"

	"github.com/acme/shop/libs/shopmodels"
)

// Store reads and writes orders.
type Store struct{ db *sql.DB }

// New returns a store over db.
func New(db *sql.DB) *Store { return &Store{db: db} }

// Get loads one order.
func (s *Store) Get(ctx context.Context, id string) (*shopmodels.Order, error) {
	var o shopmodels.Order
	err := s.db.QueryRowContext(ctx,
		"SELECT id, user_id, total_cents, status FROM orders WHERE id = $1", id).
		Scan(&o.ID, &o.UserID, &o.TotalCents, &o.Status)
	return &o, err
}

// MarkPaid records a payment against an order.
func (s *Store) MarkPaid(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, "UPDATE orders SET status = 'paid' WHERE id = $1", id)
	return err
}
