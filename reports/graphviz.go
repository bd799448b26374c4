package reports

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/decouplehq/decouple/analyzer/score"
)

// kindColors are the edge colours of the graph exports, as on the scorecard.
func kindColor(kind string) string {
	switch kind {
	case score.KindAPI:
		return "#7c3aed"
	case score.KindData:
		return "#c2610c"
	case score.KindCode:
		return "#d12c2c"
	case score.KindDeploy:
		return "#2563eb"
	case score.KindChange:
		return "#0f8a5f"
	}
	return "#44505f"
}

func kindStyle(kind string) string {
	switch kind {
	case score.KindDeploy:
		return "dashed"
	case score.KindChange:
		return "dotted"
	}
	return "solid"
}

// clusterOf numbers each service by its cluster (1 = largest; 0 = none).
func clusterOf(s score.Score) map[string]int {
	out := map[string]int{}
	for i, c := range s.Clusters {
		for _, svc := range c.Services {
			out[svc] = i + 1
		}
	}
	return out
}

// writeDOT writes the service graph for Graphviz: the nodes and edges of the
// scorecard, clusters as subgraphs.
func writeDOT(w io.Writer, r *Report, _ Options) error {
	bw := bufio.NewWriter(w)
	s := r.Score
	fmt.Fprintf(bw, "// decouple service graph of %s\n", dotComment(r.Root))
	fmt.Fprintln(bw, "digraph decouple {")
	fmt.Fprintf(bw, "  graph [rankdir=LR, fontname=\"Helvetica\", label=%s, labelloc=t];\n",
		dotQuote(fmt.Sprintf("%s: distributed-monolith index %d (%s)", r.Root, s.Index, s.Grade)))
	fmt.Fprintln(bw, "  node [fontname=\"Helvetica\", shape=box, style=rounded];")
	fmt.Fprintln(bw, "  edge [fontname=\"Helvetica\", fontsize=10];")
	nodes := nodesByCluster(s)
	writeNode := func(indent string, n score.Node) {
		if n.Kind == score.NodeDatastore {
			fmt.Fprintf(bw, "%s%s [label=%s, shape=cylinder, style=\"\"];\n", indent, dotQuote(n.ID), dotQuote(n.Label))
			return
		}
		fmt.Fprintf(bw, "%s%s;\n", indent, dotQuote(n.ID))
	}
	for i, c := range s.Clusters {
		fmt.Fprintf(bw, "  subgraph cluster_%d {\n", i+1)
		fmt.Fprintf(bw, "    label=%s; style=dashed; color=\"#e8b48a\";\n",
			dotQuote(fmt.Sprintf("cluster %d: %d services", i+1, len(c.Services))))
		for _, n := range nodes[i+1] {
			writeNode("    ", n)
		}
		fmt.Fprintln(bw, "  }")
	}
	for _, n := range nodes[0] {
		writeNode("  ", n)
	}
	for _, e := range s.Graph.Edges {
		arrow := "none"
		if e.Kind == score.KindCode {
			arrow = "normal"
		}
		fmt.Fprintf(bw, "  %s -> %s [label=%s, color=%s, style=%s, arrowhead=%s];\n", dotQuote(e.From), dotQuote(e.To),
			dotQuote(e.Kind), dotQuote(kindColor(e.Kind)), kindStyle(e.Kind), arrow)
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// datastoreCluster is the cluster of the first service using a datastore.
func datastoreCluster(s score.Score, id string, inCluster map[string]int) int {
	for _, e := range s.Graph.Edges {
		if e.To == id {
			return inCluster[e.From]
		}
	}
	return 0
}

// dotQuote makes a DOT quoted string: backslashes and quotes escaped,
// control characters written as escapes.
func dotQuote(s string) string {
	s = Clean(s)
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	return `"` + s + `"`
}

func dotComment(s string) string {
	return strings.ReplaceAll(Clean(s), "*/", "* /")
}

// writeMermaid writes the service graph as a Mermaid flowchart (GitHub
// renders it in Markdown).
func writeMermaid(w io.Writer, r *Report, _ Options) error {
	bw := bufio.NewWriter(w)
	writeMermaidGraph(bw, r)
	return bw.Flush()
}

func writeMermaidGraph(bw *bufio.Writer, r *Report) {
	s := r.Score
	ids := map[string]string{}
	for i, n := range s.Graph.Nodes {
		ids[n.ID] = fmt.Sprintf("n%d", i)
	}
	fmt.Fprintln(bw, "flowchart LR")
	nodes := nodesByCluster(s)
	writeNode := func(indent string, n score.Node) {
		if n.Kind == score.NodeDatastore {
			fmt.Fprintf(bw, "%s%s[(\"%s\")]\n", indent, ids[n.ID], mermaidText(n.Label))
			return
		}
		fmt.Fprintf(bw, "%s%s[\"%s\"]\n", indent, ids[n.ID], mermaidText(n.Label))
	}
	for i, c := range s.Clusters {
		fmt.Fprintf(bw, "  subgraph c%d[\"cluster %d: %d services\"]\n", i+1, i+1, len(c.Services))
		for _, n := range nodes[i+1] {
			writeNode("    ", n)
		}
		fmt.Fprintln(bw, "  end")
	}
	for _, n := range nodes[0] {
		writeNode("  ", n)
	}
	for _, e := range s.Graph.Edges {
		link := "---"
		switch e.Kind {
		case score.KindCode:
			link = "-->"
		case score.KindDeploy, score.KindChange:
			link = "-.-"
		}
		fmt.Fprintf(bw, "  %s %s|%s| %s\n", ids[e.From], link, e.Kind, ids[e.To])
	}
	for i, e := range s.Graph.Edges {
		fmt.Fprintf(bw, "  linkStyle %d stroke:%s\n", i, kindColor(e.Kind))
	}
}

// mermaidText escapes a label for a quoted Mermaid node: every character
// Mermaid or its HTML labels might read is written as an entity code.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range Clean(s) {
		switch r {
		case '"', '#', '<', '>', '&', '`', '|', '[', ']', '(', ')', '{', '}', '*', '_', '~':
			fmt.Fprintf(&b, "#%d;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nodesByCluster groups the graph's nodes by the cluster they are drawn in
// (0 for none); a datastore goes with the services that use it.
func nodesByCluster(s score.Score) map[int][]score.Node {
	inCluster := clusterOf(s)
	nodes := map[int][]score.Node{}
	for _, n := range s.Graph.Nodes {
		c := inCluster[n.ID]
		if n.Kind == score.NodeDatastore {
			c = datastoreCluster(s, n.ID, inCluster)
		}
		nodes[c] = append(nodes[c], n)
	}
	return nodes
}
