package load

import (
	"context"
	"go/token"
	"sort"

	"github.com/decouplehq/decouple/analyzer/facts"
)

// Route resolution by parts. A resolver only ever follows a package into
// the packages its files import, so packages that do not import one
// another, directly or through others, share nothing but net/http's
// DefaultServeMux: each such set (a component) is resolved on its own, in
// parallel, by a resolver with a DefaultServeMux of its own. The merge puts
// back what one resolver over every package would have made: the routes in
// the order it would have recorded them, one DefaultServeMux with the edges
// of all in the order they were added. Records and edges carry the order of
// the package being evaluated when they were made, and each component
// evaluates its packages in the global order, so sorting by that order,
// stably, restores it.
//
// Two things tie components together and are checked instead: the
// inlining budget, which one resolver spends across all packages (the
// split is kept only when no component's inlining would have run into it),
// and a panic, which stops one resolver's whole run (it is left to that
// one resolver to report).

// resolveRoutes resolves the routes of pkgs by components. ok is false when
// the result might differ from one resolver's: the caller then runs one.
func (l *loader) resolveRoutes(ctx context.Context, fset *token.FileSet, pkgs []*goPackage) (routes []*facts.GoRoute, ok bool) {
	byImport := orderPackages(pkgs)
	comps := routeComponents(pkgs, byImport)
	parts := make([]*routeResolver, len(comps))
	panicked := make([]bool, len(comps))
	l.each(context.WithoutCancel(ctx), len(comps), func(i int) {
		defer func() {
			if recover() != nil {
				panicked[i] = true
			}
		}()
		r := newResolverOf(fset, comps[i], byImport)
		r.resolve()
		parts[i] = r
	})
	attempts := 0
	for i, r := range parts {
		if panicked[i] || r == nil {
			return nil, false
		}
		attempts += r.attempts
	}
	if attempts > inlineBudget {
		return nil, false
	}
	defer func() {
		if recover() != nil {
			routes, ok = nil, false
		}
	}()
	return mergeRoutes(fset, parts), true
}

// routeComponents splits packages, in order, into the sets that import one
// another, each in order, the sets in the order of their first package.
func routeComponents(pkgs []*goPackage, byImport map[string]*goPackage) [][]*goPackage {
	parent := make([]int, len(pkgs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, p := range pkgs {
		for _, f := range p.files {
			for _, ip := range f.imports {
				if q := byImport[ip]; q != nil {
					a, b := find(p.order), find(q.order)
					if a != b {
						parent[max(a, b)] = min(a, b)
					}
				}
			}
		}
	}
	var comps [][]*goPackage
	index := map[int]int{} // component root → index in comps
	for _, p := range pkgs {
		c := find(p.order)
		k, seen := index[c]
		if !seen {
			k = len(comps)
			index[c] = k
			comps = append(comps, nil)
		}
		comps[k] = append(comps[k], p)
	}
	return comps
}

// mergeRoutes joins the resolvers of components into the routes one
// resolver would have found.
func mergeRoutes(fset *token.FileSet, parts []*routeResolver) []*facts.GoRoute {
	mux := &root{kind: routerNetHTTP, origin: originDefault}
	var recs []*routeRec
	for _, r := range parts {
		recs = append(recs, r.routes...)
		mux.edges = append(mux.edges, r.defaultMux.edges...)
	}
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].pkg < recs[j].pkg })
	sort.SliceStable(mux.edges, func(i, j int) bool { return mux.edges[i].pkg < mux.edges[j].pkg })
	for _, r := range parts {
		for _, rt := range r.allRoots() {
			for _, e := range rt.edges {
				if e.parent != nil && e.parent.root == r.defaultMux {
					e.parent.root = mux
				}
			}
		}
		for _, rec := range r.routes {
			if rec.root == r.defaultMux {
				rec.root = mux
			}
		}
	}
	var r routeResolver // prefixesOf reads nothing of it
	return goRouteFacts(fset, recs, r.prefixesOf)
}
