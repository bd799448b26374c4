// Package shopmodels holds the persistence models that orders and payments
// both compile against.
package shopmodels

// Order is a row of the orders table.
type Order struct {
	ID         string `gorm:"primaryKey" db:"id"`
	UserID     string `db:"user_id"`
	TotalCents int64  `db:"total_cents"`
	Status     string `db:"status"`
}

// TableName tells gorm which table holds orders.
func (Order) TableName() string { return "orders" }

// Payment is a row of the payments table.
type Payment struct {
	OrderID     string `db:"order_id"`
	AmountCents int64  `db:"amount_cents"`
}
