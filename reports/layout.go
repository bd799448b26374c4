package reports

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/decouplehq/decouple/analyzer/score"
)

// Layout is the service graph placed on a plane, for the SVG of the HTML
// scorecard. It is computed here, deterministically: each coupling cluster
// is a ring of services in its own outlined box (its datastores inside the
// ring), boxes are packed in rows largest first, and the services coupled to
// nothing share a last box.
type Layout struct {
	Width, Height int
	Boxes         []LayoutBox
	Nodes         []LayoutNode
	Edges         []LayoutEdge
}

// LayoutBox outlines a cluster (Cluster ≥ 1) or the uncoupled services
// (Cluster 0).
type LayoutBox struct {
	X, Y, W, H int
	Cluster    int
	Title      string
}

// LayoutNode is a placed service or datastore.
type LayoutNode struct {
	ID, Label, Kind string
	// Short is Label cut to fit under the node.
	Short   string
	X, Y    int
	Cluster int
}

// LayoutEdge is a placed edge: an SVG path from one node's rim to the
// other's.
type LayoutEdge struct {
	From, To, Kind string
	Path           string
	// Arrow is true for directed kinds (code: importer → imported).
	Arrow bool
	// Findings counts the findings behind the edge.
	Findings int
}

const (
	nodeRadius  = 16
	ringStep    = 120 // arc length per service on a ring
	minRing     = 70
	boxPadX     = 80 // room for labels left and right of a ring
	boxPadTop   = 44
	boxPadBelow = 44
	boxGap      = 24
	minWidth    = 960
	gridCell    = 140
	gridRow     = 64
	labelRunes  = 22
)

func layout(s score.Score) Layout {
	kindOf := map[string]string{}
	for _, n := range s.Graph.Nodes {
		kindOf[n.ID] = n.Kind
	}
	storeUsers := map[string][]string{}
	rel := newCoupling()
	for _, e := range s.Graph.Edges {
		if kindOf[e.To] == score.NodeDatastore {
			storeUsers[e.To] = append(storeUsers[e.To], e.From)
			rel.uses(e.From, e.To)
			continue
		}
		rel.link(e.From, e.To)
	}
	clusterOf := map[string]int{}
	for i, c := range s.Clusters {
		for _, svc := range c.Services {
			clusterOf[svc] = i + 1
		}
	}
	storesOf := make([][]string, len(s.Clusters)+1)
	for _, n := range s.Graph.Nodes {
		if n.Kind == score.NodeDatastore && len(storeUsers[n.ID]) > 0 {
			c := clusterOf[minString(storeUsers[n.ID])]
			storesOf[c] = append(storesOf[c], n.ID)
		}
	}

	type block struct {
		w, h  int
		box   LayoutBox
		nodes []LayoutNode // relative to the block's top-left corner
	}
	var blocks []block
	labels := map[string]string{}
	for _, n := range s.Graph.Nodes {
		labels[n.ID] = n.Label
	}
	node := func(id string, x, y, cluster int) LayoutNode {
		short := labels[id]
		if _, rest, ok := strings.Cut(short, "://"); ok && kindOf[id] == score.NodeDatastore {
			short = rest
		}
		return LayoutNode{ID: id, Label: labels[id], Short: shorten(short), Kind: kindOf[id], X: x, Y: y, Cluster: cluster}
	}
	for i, c := range s.Clusters {
		ring := rel.ringOrder(c.Services)
		k := len(ring)
		radius := math.Max(minRing, float64(k*ringStep)/(2*math.Pi))
		cx, cy := int(radius)+boxPadX, int(radius)+boxPadTop
		b := block{w: 2 * cx, h: cy + int(radius) + boxPadBelow}
		for j, svc := range ring {
			a := -math.Pi/2 + 2*math.Pi*float64(j)/float64(k)
			b.nodes = append(b.nodes, node(svc, cx+int(math.Round(radius*math.Cos(a))), cy+int(math.Round(radius*math.Sin(a))), i+1))
		}
		// A datastore sits inside the ring, toward the services using it.
		placed := map[string][2]int{}
		for _, n := range b.nodes {
			placed[n.ID] = [2]int{n.X, n.Y}
		}
		var taken [][2]int
		for _, id := range storesOf[i+1] {
			sx, sy := 0.0, 0.0
			for _, u := range storeUsers[id] {
				sx += float64(placed[u][0] - cx)
				sy += float64(placed[u][1] - cy)
			}
			users := float64(len(storeUsers[id]))
			x, y := cx+int(math.Round(0.6*sx/users)), cy+int(math.Round(0.6*sy/users))
			for clash(taken, x, y) {
				y += 2*nodeRadius + 16
			}
			taken = append(taken, [2]int{x, y})
			b.nodes = append(b.nodes, node(id, x, y, i+1))
		}
		b.box = LayoutBox{W: b.w, H: b.h, Cluster: i + 1,
			Title: fmt.Sprintf("cluster %d · %d services · %s", i+1, k, plural(c.Edges, "edge"))}
		blocks = append(blocks, b)
	}

	var loose []string
	for _, n := range s.Graph.Nodes {
		if n.Kind == score.NodeService && clusterOf[n.ID] == 0 {
			loose = append(loose, n.ID)
		}
	}
	width := minWidth
	for _, b := range blocks {
		width = max(width, b.w)
	}
	if len(loose) > 0 {
		cols := max(1, min(len(loose), (width-2*boxGap)/gridCell))
		rows := (len(loose) + cols - 1) / cols
		b := block{w: cols*gridCell + 2*boxGap, h: rows*gridRow + boxPadTop}
		for j, id := range loose {
			b.nodes = append(b.nodes, node(id, boxGap+gridCell/2+(j%cols)*gridCell, boxPadTop+nodeRadius+(j/cols)*gridRow, 0))
		}
		b.box = LayoutBox{W: b.w, H: b.h, Title: fmt.Sprintf("not coupled · %s", plural(len(loose), "service"))}
		blocks = append(blocks, b)
	}

	// Pack the blocks in rows (shelves), in order.
	var out Layout
	x, y, rowH := 0, 0, 0
	for _, b := range blocks {
		if x > 0 && x+b.w > width {
			x, y, rowH = 0, y+rowH+boxGap, 0
		}
		box := b.box
		box.X, box.Y = x, y
		out.Boxes = append(out.Boxes, box)
		for _, n := range b.nodes {
			n.X, n.Y = n.X+x, n.Y+y
			out.Nodes = append(out.Nodes, n)
		}
		out.Width = max(out.Width, x+b.w)
		x += b.w + boxGap
		rowH = max(rowH, b.h)
	}
	out.Height = y + rowH
	out.Edges = placeEdges(s.Graph.Edges, out.Nodes)
	return out
}

// coupling is the relation that places services side by side on a ring:
// two services are neighbours when an edge joins them or when they use one
// datastore. The users of a datastore are kept as a list, not linked pair by
// pair: a database shared by thousands of services would be millions of
// pairs.
type coupling struct {
	id     map[string]int // node → index
	names  []string
	direct [][]int // per node: the nodes an edge joins it to (repeats possible)
	stores [][]int // per node: the datastores it uses
	users  [][]int // per datastore: its users (repeats possible)
	stamp  []int   // scratch for neighbours
	gen    int
}

func newCoupling() *coupling { return &coupling{id: map[string]int{}} }

func (c *coupling) node(name string) int {
	if i, ok := c.id[name]; ok {
		return i
	}
	i := len(c.names)
	c.id[name] = i
	c.names = append(c.names, name)
	c.direct, c.stores, c.users, c.stamp = append(c.direct, nil), append(c.stores, nil), append(c.users, nil), append(c.stamp, 0)
	return i
}

func (c *coupling) link(a, b string) {
	i, j := c.node(a), c.node(b)
	c.direct[i] = append(c.direct[i], j)
	c.direct[j] = append(c.direct[j], i)
}

func (c *coupling) uses(svc, store string) {
	i, d := c.node(svc), c.node(store)
	c.stores[i] = append(c.stores[i], d)
	c.users[d] = append(c.users[d], i)
}

// neighbours calls fn once for each distinct neighbour of node i. A node
// is its own neighbour only through an edge from itself to itself, never
// through a datastore.
func (c *coupling) neighbours(i int, fn func(int)) {
	c.gen++
	add := func(j int) {
		if c.stamp[j] != c.gen {
			c.stamp[j] = c.gen
			fn(j)
		}
	}
	for _, j := range c.direct[i] {
		add(j)
	}
	for _, d := range c.stores[i] {
		for _, j := range c.users[d] {
			if j != i {
				add(j)
			}
		}
	}
}

// ringOrder orders a cluster's services around its ring so that coupled
// services sit side by side: depth first from the most coupled service (ties
// in the order given, by name), neighbours by name, so that a chain of
// couplings runs along the ring.
func (c *coupling) ringOrder(services []string) []string {
	ids := make([]int, 0, len(services))
	for _, s := range services {
		ids = append(ids, c.node(s))
	}
	// rank orders the nodes by name; byRank maps back.
	byRank := make([]int, len(c.names))
	for i := range byRank {
		byRank[i] = i
	}
	sort.Slice(byRank, func(a, b int) bool { return c.names[byRank[a]] < c.names[byRank[b]] })
	rank := make([]int, len(c.names))
	for r, i := range byRank {
		rank[i] = r
	}
	in := make([]bool, len(c.names))
	degree := make([]int, len(c.names))
	for _, i := range ids {
		in[i] = true
		c.neighbours(i, func(int) { degree[i]++ })
	}
	sort.SliceStable(ids, func(a, b int) bool { return degree[ids[a]] > degree[ids[b]] })
	seen := make([]bool, len(c.names))
	order := make([]string, 0, len(ids))
	var visit func(int)
	visit = func(i int) {
		seen[i] = true
		order = append(order, c.names[i])
		var next []int // ranks
		c.neighbours(i, func(j int) {
			if in[j] && !seen[j] {
				next = append(next, rank[j])
			}
		})
		slices.Sort(next)
		for _, r := range next {
			if j := byRank[r]; !seen[j] {
				visit(j)
			}
		}
	}
	for _, i := range ids {
		if !seen[i] {
			visit(i)
		}
	}
	return order
}

// placeEdges draws each edge from rim to rim; several edges between one pair
// of nodes bend apart so that each stays visible.
func placeEdges(edges []score.Edge, nodes []LayoutNode) []LayoutEdge {
	at := map[string]LayoutNode{}
	for _, n := range nodes {
		at[n.ID] = n
	}
	type pair struct{ a, b string }
	key := func(e score.Edge) pair {
		if e.To < e.From {
			return pair{e.To, e.From}
		}
		return pair{e.From, e.To}
	}
	total := map[pair]int{}
	for _, e := range edges {
		total[key(e)]++
	}
	seen := map[pair]int{}
	var out []LayoutEdge
	for _, e := range edges {
		p, q := at[e.From], at[e.To]
		k := key(e)
		idx := seen[k]
		seen[k]++
		x1, y1, x2, y2 := float64(p.X), float64(p.Y), float64(q.X), float64(q.Y)
		dx, dy := x2-x1, y2-y1
		length := math.Hypot(dx, dy)
		if length < 1 {
			continue
		}
		ux, uy := dx/length, dy/length
		end := float64(nodeRadius + 2)
		if e.Kind == score.KindCode {
			end += 4
		}
		sx, sy := x1+ux*(nodeRadius+2), y1+uy*(nodeRadius+2)
		tx, ty := x2-ux*end, y2-uy*end
		path := fmt.Sprintf("M%.0f %.0fL%.0f %.0f", sx, sy, tx, ty)
		if n := total[k]; n > 1 {
			off := (float64(idx) - float64(n-1)/2) * 36
			if e.From != k.a {
				off = -off // the normal flips with the direction
			}
			cx, cy := (sx+tx)/2-uy*off, (sy+ty)/2+ux*off
			path = fmt.Sprintf("M%.0f %.0fQ%.0f %.0f %.0f %.0f", sx, sy, cx, cy, tx, ty)
		}
		out = append(out, LayoutEdge{From: e.From, To: e.To, Kind: e.Kind, Path: path, Arrow: e.Kind == score.KindCode, Findings: len(e.Findings)})
	}
	return out
}

// clash reports whether (x, y) is too close to a placed datastore.
func clash(taken [][2]int, x, y int) bool {
	for _, t := range taken {
		if abs(t[0]-x) < 4*nodeRadius && abs(t[1]-y) < 2*nodeRadius+12 {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func shorten(s string) string {
	r := []rune(s)
	if len(r) <= labelRunes {
		return s
	}
	return string(r[:labelRunes-1]) + "…"
}

func minString(list []string) string {
	m := list[0]
	for _, s := range list[1:] {
		if s < m {
			m = s
		}
	}
	return m
}
