package data

import (
	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/analyzer/facts"
)

// SharedTable reports tables and collections that two or more services
// read or write in the same database.
var SharedTable = &analyzer.Rule{
	ID:       "DATA102",
	Name:     "shared-table",
	Title:    "two or more services read or write the same table",
	Severity: analyzer.Error,
	Default:  true,
	Doc:      sharedTableDoc,
	Run:      runSharedTable,
}

func runSharedTable(pass *analyzer.Pass) error {
	for _, s := range shareTables(pass.Repo, func(*facts.TableRef) bool { return true }) {
		s.report(pass, "tables", "services %s both use %s %s of the %s")
	}
	return nil
}

const sharedTableDoc = `Two or more services read or write the same table (or MongoDB collection) of the same
database. Tables are read from SQL in Go string literals and .sql files (FROM, JOIN, INTO,
UPDATE, DELETE FROM, CREATE/ALTER TABLE, schema-qualified names), migration folders, gorm
models (TableName methods, gorm.Model, AutoMigrate, Table), ent schemas and MongoDB
Collection("x") calls. A table belongs to the database its service connects to; when a
service connects to several databases of one engine its tables are left out rather than
guessed. The same table name in two different databases is not shared.

This is the strongest form of a shared database: the services depend on each other's
columns, not just on a server, and any migration of the table must be released to both at
once.

Example:

    // services/orders/store.go
    db.Query("SELECT id, total FROM orders WHERE id = $1", id)   // flagged
    // services/billing/model.go
    func (Order) TableName() string { return "orders" }         // the same table

Fix: pick the service that owns the table; the others read it through that service's API,
or keep their own copy fed by its events.`
