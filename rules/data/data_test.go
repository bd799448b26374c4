package data_test

import (
	"testing"

	"github.com/decouplehq/decouple/rules/data"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestSharedDatabase(t *testing.T)         { ruletest.Run(t, data.SharedDatabase) }
func TestSharedTable(t *testing.T)            { ruletest.Run(t, data.SharedTable) }
func TestSharedSchemaMigrations(t *testing.T) { ruletest.Run(t, data.SharedSchemaMigrations) }
func TestSharedDatabaseServer(t *testing.T)   { ruletest.Run(t, data.SharedDatabaseServer) }
