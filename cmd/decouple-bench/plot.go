package main

import (
	"image/color"
	"os"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// series is one line of the plot: a program's medians over the corpora.
type series struct {
	name  string
	color color.Color
	dash  []vg.Length
	y     func(cp *corpus) (float64, bool)
}

// writePlot draws wall time and peak RSS against input files, one line per
// program, side by side, into a PNG.
func writePlot(path string, corpora []*corpus) error {
	cs := append([]*corpus(nil), corpora...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].files < cs[j].files })
	result := func(name string, rss bool) func(cp *corpus) (float64, bool) {
		return func(cp *corpus) (float64, bool) {
			s, ok := cp.results[name]
			if rss {
				return s.rssMB, ok
			}
			return s.wall, ok
		}
	}
	blue, grey := color.RGBA{B: 200, A: 255}, color.RGBA{R: 110, G: 110, B: 110, A: 255}
	red, green, orange := color.RGBA{R: 200, A: 255}, color.RGBA{G: 140, A: 255}, color.RGBA{R: 220, G: 130, A: 255}
	dashed := []vg.Length{vg.Points(5), vg.Points(3)}
	timeSeries := []series{
		{name: "decouple check", color: blue, y: result(decoupleTask, false)},
		{name: "sum of the floors", color: grey, dash: dashed, y: func(cp *corpus) (float64, bool) {
			_, ok := cp.results[floorRead]
			return floorSum(cp), ok
		}},
		{name: peerGolangci, color: red, y: result(peerGolangci, false)},
		{name: peerBuf, color: green, y: result(peerBuf, false)},
		{name: peerVacuum, color: orange, y: result(peerVacuum, false)},
	}
	memSeries := []series{
		{name: "decouple check", color: blue, y: result(decoupleTask, true)},
		{name: "read floor", color: grey, dash: dashed, y: result(floorRead, true)},
		{name: peerGolangci, color: red, y: result(peerGolangci, true)},
		{name: peerBuf, color: green, y: result(peerBuf, true)},
		{name: peerVacuum, color: orange, y: result(peerVacuum, true)},
	}
	left, err := linePlot("wall time (median)", "seconds", cs, timeSeries)
	if err != nil {
		return err
	}
	right, err := linePlot("peak RSS (median)", "MB", cs, memSeries)
	if err != nil {
		return err
	}
	img := vgimg.New(vg.Points(960), vg.Points(420))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(24), PadTop: vg.Points(8), PadBottom: vg.Points(8),
		PadLeft: vg.Points(8), PadRight: vg.Points(16)}
	plots := [][]*plot.Plot{{left, right}}
	canvases := plot.Align(plots, tiles, dc)
	left.Draw(canvases[0][0])
	right.Draw(canvases[0][1])
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func linePlot(title, unit string, cs []*corpus, ss []series) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "input files"
	p.Y.Label.Text = unit
	p.X.Min, p.Y.Min = 0, 0
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	for _, s := range ss {
		var pts plotter.XYs
		for _, cp := range cs {
			if y, ok := s.y(cp); ok {
				pts = append(pts, plotter.XY{X: float64(cp.files), Y: y})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		l.Color, l.Dashes = s.color, s.dash
		l.Width = vg.Points(1.5)
		sc.Color = s.color
		sc.Shape = draw.CircleGlyph{}
		p.Add(l, sc)
		p.Legend.Add(s.name, l, sc)
	}
	return p, nil
}
