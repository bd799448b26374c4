package code_test

import (
	"testing"

	"github.com/decouplehq/decouple/analyzer"
	"github.com/decouplehq/decouple/rules/code"
	"github.com/decouplehq/decouple/rules/ruletest"
)

func TestCrossServiceImport(t *testing.T)      { ruletest.Run(t, code.CrossServiceImport) }
func TestCrossServiceTestImport(t *testing.T)  { ruletest.Run(t, code.CrossServiceTestImport) }
func TestSharedDomainModel(t *testing.T)       { ruletest.Run(t, code.SharedDomainModel) }
func TestCrossServiceProtoImport(t *testing.T) { ruletest.Run(t, code.CrossServiceProtoImport) }
func TestServiceCycle(t *testing.T)            { ruletest.Run(t, code.ServiceCycle) }
func TestReplaceIntoService(t *testing.T)      { ruletest.Run(t, code.ReplaceIntoService) }

func TestRulesValid(t *testing.T) {
	if err := analyzer.Validate([]*analyzer.Rule{code.CrossServiceImport, code.SharedDomainModel,
		code.CrossServiceProtoImport, code.ServiceCycle, code.ReplaceIntoService, code.CrossServiceTestImport}); err != nil {
		t.Fatal(err)
	}
}
