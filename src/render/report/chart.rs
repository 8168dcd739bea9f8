//! The monthly report's PNG chart, drawn with plotters in memory: on the left the
//! compliance per priority (response and resolution bars) against the goal (a line, per
//! priority or across all), on the right the distribution of response times in business
//! time (histogram). Fixed size [`WIDTH`] × [`HEIGHT`]; text in the embedded DejaVu Sans
//! (`assets/fonts`, licence alongside).

use super::{duration, priority_label};
use crate::domain::agreement::Agreement;
use crate::domain::incident::Milestone;
use crate::domain::report::MonthlyReport;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::sync::OnceLock;

/// Chart width in pixels.
pub const WIDTH: u32 = 1200;
/// Chart height in pixels.
pub const HEIGHT: u32 = 600;

const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Why the chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font did not load.
    #[error("the embedded chart font is invalid")]
    Font,
    /// Drawing failed.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(String),
}

fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}

fn font() -> Result<(), ChartError> {
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

const RESPONSE: RGBColor = RGBColor(52, 101, 164);
const RESOLUTION: RGBColor = RGBColor(245, 121, 0);
const GOAL: RGBColor = RGBColor(204, 0, 0);
const HIST: RGBColor = RGBColor(78, 154, 6);

/// The monthly report's chart as PNG bytes.
pub fn monthly_png(r: &MonthlyReport, a: Option<&Agreement>) -> Result<Vec<u8>, ChartError> {
    font()?;
    let mut buf = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (left, right) = root.split_horizontally(WIDTH / 2);
        compliance(&root, &left, r, a)?;
        histogram(&right, r)?;
        root.present().map_err(draw_err)?;
    }
    let mut out = Vec::new();
    {
        use image::ImageEncoder;
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&buf, WIDTH, HEIGHT, image::ColorType::Rgb8)
            .map_err(|e| ChartError::Encode(e.to_string()))?;
    }
    Ok(out)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn compliance(root: &Area<'_>, area: &Area<'_>, r: &MonthlyReport, a: Option<&Agreement>) -> Result<(), ChartError> {
    let f = &r.figures;
    let n = f.priorities.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(format!("Compliance per priority, {}", r.month), (FONT, 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..n as f64, 0f64..105f64)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .x_label_formatter(&|_| String::new())
        .y_desc("% within target")
        .label_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    let bars = |pick: fn(&crate::domain::report::PriorityFigures) -> Option<f64>, x0: f64, x1: f64| {
        f.priorities
            .iter()
            .enumerate()
            .filter_map(move |(i, p)| pick(p).map(|v| (i as f64, v)))
            .map(move |(i, v)| [(i + x0, 0.0), (i + x1, v)])
            .collect::<Vec<_>>()
    };
    let resp = bars(|p| p.response.percent, 0.12, 0.47);
    let reso = bars(|p| p.resolution.percent, 0.53, 0.88);
    chart
        .draw_series(resp.into_iter().map(|c| Rectangle::new(c, RESPONSE.filled())))
        .map_err(draw_err)?
        .label(crate::render::Locale::En.milestone(Milestone::Response))
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], RESPONSE.filled()));
    chart
        .draw_series(reso.into_iter().map(|c| Rectangle::new(c, RESOLUTION.filled())))
        .map_err(draw_err)?
        .label(crate::render::Locale::En.milestone(Milestone::Resolution))
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], RESOLUTION.filled()));
    // Goal lines: per priority over its bar, or one across the chart.
    let mut goals: Vec<[(f64, f64); 2]> = Vec::new();
    for (i, p) in f.priorities.iter().enumerate() {
        let i = i as f64;
        if let Some(g) = p.response.goal {
            goals.push([(i + 0.05, g), (i + 0.5, g)]);
        }
        if let Some(g) = p.resolution.goal {
            goals.push([(i + 0.5, g), (i + 0.95, g)]);
        }
    }
    for g in [f.response.goal, f.resolution.goal].into_iter().flatten() {
        goals.push([(0.0, g), (n as f64, g)]);
    }
    if !goals.is_empty() {
        let mut first = true;
        for g in goals {
            let s = chart
                .draw_series(LineSeries::new(g, GOAL.stroke_width(3)))
                .map_err(draw_err)?;
            if first {
                s.label("goal")
                    .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], GOAL.stroke_width(3)));
                first = false;
            }
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    // Each bar's percentage above it ("–": nothing counted).
    let value_style =
        TextStyle::from((FONT, 12).into_font())
            .color(&BLACK)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            ));
    for (i, p) in f.priorities.iter().enumerate() {
        for (x, v, has) in [
            (0.295, p.response.percent, p.response_target),
            (0.705, p.resolution.percent, p.resolution_target),
        ] {
            if !has {
                continue;
            }
            let text = v.map_or("–".to_string(), |v| format!("{v:.0} %"));
            let (px, py) = chart.backend_coord(&(i as f64 + x, v.unwrap_or(0.0)));
            root.draw(&Text::new(text, (px, py - 3), value_style.clone()))
                .map_err(draw_err)?;
        }
    }
    // Priority labels under each pair of bars.
    for (i, p) in f.priorities.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        let full = priority_label(a, &p.priority);
        let mut label: String = full.chars().take(16).collect();
        if label.len() < full.len() {
            label.push('…');
        }
        let style = TextStyle::from((FONT, 14).into_font())
            .color(&BLACK)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Top,
            ));
        root.draw(&Text::new(label, (px, py + 8), style)).map_err(draw_err)?;
    }
    Ok(())
}

/// `secs` in the unit the bin width suggests: minutes under an hour, else hours.
fn short(secs: i64, width: i64) -> String {
    if width < 3600 {
        format!("{} min", secs / 60)
    } else {
        format!("{} h", secs / 3600)
    }
}

fn histogram(area: &Area<'_>, r: &MonthlyReport) -> Result<(), ChartError> {
    const BINS: u32 = 10;
    let values: Vec<i64> = r.figures.response_times.values.iter().map(|(v, _)| *v).collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    // Bin width: a whole number of minutes, at least one.
    let width = (((max + 1) as f64 / f64::from(BINS) / 60.0).ceil() as i64).max(1) * 60;
    let mut counts = [0u32; BINS as usize];
    for v in &values {
        let b = ((v / width) as usize).min(BINS as usize - 1);
        counts[b] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(0).max(1) + 1;
    let mut chart = ChartBuilder::on(area)
        .caption("Response times (business time)", (FONT, 22))
        .margin(15)
        .x_label_area_size(55)
        .y_label_area_size(50)
        .build_cartesian_2d((0u32..BINS).into_segmented(), 0u32..top)
        .map_err(draw_err)?;
    let label = move |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) if *i < BINS => short(i64::from(*i) * width, width),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(BINS as usize)
        .x_label_formatter(&label)
        .x_desc(format!(
            "from (bins of {} business time; the last bin holds the rest)",
            duration(width)
        ))
        .y_desc("responses")
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    chart
        .draw_series(
            Histogram::vertical(&chart)
                .style(HIST.filled())
                .margin(4)
                .data(counts.iter().enumerate().map(|(i, c)| (i as u32, *c))),
        )
        .map_err(draw_err)?;
    if values.is_empty() {
        let style = TextStyle::from((FONT, 18).into_font()).color(&BLACK);
        area.draw(&Text::new("no responses met in the period", (180, 280), style))
            .map_err(draw_err)?;
    }
    Ok(())
}
