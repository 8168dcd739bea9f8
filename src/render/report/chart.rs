//! The monthly report's PNG chart, drawn with plotters in memory, for a manager to read at a
//! glance. What it shows is worked out first as a [`ChartPlan`] (tests read that, not
//! pixels): one panel per figure the agreement has —
//! - compliance: per priority (and for all together) a bar for each milestone that has a
//!   target, the goal it is held to drawn over the bars it applies to, the legend in its own
//!   row above the bars (one entry per series and per goal), the priorities' full names
//!   wrapped under their bars;
//! - a histogram of business times per priority and milestone with a target and something
//!   met in the month: whole-unit bins (minutes, hours or working days, as the times and
//!   the target call for), the target marked and the bins past it coloured apart;
//! - availability (when the agreement sets availability targets): per service and schedule
//!   measured a horizontal bar of the uptime against a dashed mark at its target, green when
//!   the target is met and red when not.
//!
//! No panel stands for a figure that does not exist: an agreement without response targets
//! (Altinn) gets no response bars or response histograms. Width [`WIDTH`]; the height
//! follows the number of histograms ([`ChartPlan::height`]). Text in the embedded DejaVu
//! Sans (`assets/fonts`, licence alongside).

use super::priority_label;
use crate::domain::agreement::{Agreement, GoalScope, Target};
use crate::domain::clock::BusinessDuration;
use crate::domain::incident::Milestone;
use crate::domain::report::{ComplianceFigure, MonthlyReport, PriorityFigures, TimeStats};
use crate::render::msg::{Locale, fill};
use crate::render::words::chart::ChartMsg as C;
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// Chart width in pixels.
pub const WIDTH: u32 = 1200;
/// Height of the compliance panel (with the title and the legend row).
const COMPLIANCE_HEIGHT: u32 = 460;
/// Histograms per row.
const COLUMNS: u32 = 3;
/// Height of one row of histograms.
const HISTOGRAM_HEIGHT: u32 = 330;
/// Height of the line above the histograms saying what their colours mean.
const KEY_HEIGHT: u32 = 30;
/// Height of the availability panel's caption and axis.
const AVAILABILITY_TOP: u32 = 80;
/// Height of one availability bar.
const AVAILABILITY_ROW: u32 = 34;
/// Most bins a histogram has.
const MAX_BINS: i64 = 12;

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
const RESPONSE_GOAL: RGBColor = RGBColor(20, 20, 20);
const RESOLUTION_GOAL: RGBColor = RGBColor(204, 0, 0);
const WITHIN: RGBColor = RGBColor(78, 154, 6);
const LATE: RGBColor = RGBColor(239, 41, 41);
const TARGET: RGBColor = RGBColor(20, 20, 20);
const GREY: RGBColor = RGBColor(110, 110, 110);

// ---------------------------------------------------------------------------------------
// The plan: what is shown, before anything is drawn.

/// Everything the chart shows, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPlan {
    /// The chart's title (agreement and month).
    pub title: String,
    /// Compliance per priority; none when no priority has a target.
    pub compliance: Option<CompliancePanel>,
    /// One histogram per priority and milestone with a target and times met in the month.
    pub histograms: Vec<HistogramPanel>,
    /// Availability per service and schedule; none when the agreement sets no target.
    pub availability: Option<AvailabilityPanel>,
}

/// The availability panel: one bar per service and schedule measured.
#[derive(Debug, Clone, PartialEq)]
pub struct AvailabilityPanel {
    /// The bars, in the report's order.
    pub bars: Vec<AvailabilityBar>,
    /// The percent the axis starts at (100 % ends it): below every target and uptime, so
    /// that the differences near 100 % show.
    pub axis_from: f64,
}

/// One service's availability in one schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct AvailabilityBar {
    /// Service id.
    pub service: String,
    /// Schedule id.
    pub schedule: String,
    /// The label beside the bar (service, schedule, month or year to date).
    pub label: String,
    /// Measured uptime in percent; none when nothing was measured.
    pub percent: Option<f64>,
    /// The target in percent.
    pub target: f64,
    /// Whether the uptime meets the target.
    pub met: bool,
}

/// The compliance panel.
#[derive(Debug, Clone, PartialEq)]
pub struct CompliancePanel {
    /// The milestones with bars: those some priority has a target for, response first.
    pub milestones: Vec<Milestone>,
    /// One group of bars per priority with a target, then one for all priorities.
    pub groups: Vec<BarGroup>,
    /// The legend, in its own row above the bars: a series per milestone, then a goal per
    /// milestone that has one.
    pub legend: Vec<LegendEntry>,
}

/// One priority's bars (or all priorities').
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    /// The priority's id, none for the group of all priorities.
    pub priority: Option<String>,
    /// The label under the bars (the priority's id and full name).
    pub label: String,
    /// One bar per milestone of the panel, in its order.
    pub bars: Vec<Bar>,
}

/// One bar: the share of one milestone met within its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Response or resolution.
    pub milestone: Milestone,
    /// Whether this priority has a target for it (no bar and no "–" where it has none).
    pub has_target: bool,
    /// Percent within the target; none when nothing was counted.
    pub percent: Option<f64>,
    /// How many milestones were counted.
    pub counted: usize,
    /// The goal drawn over this bar, if one applies to it.
    pub goal: Option<f64>,
}

/// What a legend entry stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendKind {
    /// The bars of a milestone.
    Bars(Milestone),
    /// The goal lines of a milestone.
    Goal(Milestone),
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// What it stands for.
    pub kind: LegendKind,
    /// Its text.
    pub text: String,
}

/// The unit a histogram counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Business minutes.
    Minutes,
    /// Business hours.
    Hours,
    /// Working days of the target's schedule, of this many business seconds.
    WorkingDays(i64),
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> i64 {
        match self {
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3600,
            TimeUnit::WorkingDays(s) => s,
        }
    }

    fn axis(self, l: Locale) -> &'static str {
        match self {
            TimeUnit::Minutes => C::AxisMinutes,
            TimeUnit::Hours => C::AxisHours,
            TimeUnit::WorkingDays(_) => C::AxisWorkingDays,
        }
        .text(l)
    }
}

/// A histogram of one priority's business times for one milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramPanel {
    /// The priority's id.
    pub priority: String,
    /// Response or resolution times.
    pub milestone: Milestone,
    /// The panel's title.
    pub title: String,
    /// The unit of the edges and the target.
    pub unit: TimeUnit,
    /// Bin edges in whole units, from 0: bin `i` holds the times in (`edges[i]`,
    /// `edges[i+1]`] (a time of exactly 0 in the first), so a time equal to the target falls
    /// before its mark.
    pub edges: Vec<i64>,
    /// How many times fell in each bin.
    pub counts: Vec<u32>,
    /// Whether each bin lies wholly past the target (every time in it missed).
    pub late: Vec<bool>,
    /// The target in units, where the mark is drawn; none where it is not known.
    pub target: Option<f64>,
    /// The target in words (`30 min`, `3 working days`).
    pub target_text: Option<String>,
}

/// What the monthly report `r` charts (see the module's documentation), labelled in `l`.
pub fn plan(r: &MonthlyReport, a: Option<&Agreement>, l: Locale) -> ChartPlan {
    let f = &r.figures;
    let milestones: Vec<Milestone> = [Milestone::Response, Milestone::Resolution]
        .into_iter()
        .filter(|m| f.priorities.iter().any(|p| has_target(p, *m)))
        .collect();
    let compliance = (!milestones.is_empty()).then(|| compliance_panel(r, a, &milestones, l));
    let mut histograms = Vec::new();
    for p in &f.priorities {
        for &m in &milestones {
            let times = match m {
                Milestone::Response => &p.response_times,
                Milestone::Resolution => &p.resolution_times,
            };
            if has_target(p, m) && !times.values.is_empty() {
                histograms.push(histogram_panel(p, m, times, a, l));
            }
        }
    }
    ChartPlan {
        title: format!("{} — {}", a.map_or(r.agreement.as_str(), |a| a.name.as_str()), r.month),
        compliance,
        histograms,
        availability: availability_panel(r, l),
    }
}

/// The availability panel of `r`, if it measures any target.
fn availability_panel(r: &MonthlyReport, l: Locale) -> Option<AvailabilityPanel> {
    if r.availability.is_empty() {
        return None;
    }
    let bars: Vec<AvailabilityBar> = r
        .availability
        .iter()
        .map(|i| {
            let percent = i.percent();
            let period = if i.period == "year" { C::YearToDate } else { C::Month }.text(l);
            AvailabilityBar {
                service: i.service.clone(),
                schedule: i.schedule.clone(),
                label: format!("{} ({}, {period})", i.service, i.schedule),
                percent,
                target: i.target,
                met: percent.is_none_or(|p| p >= i.target),
            }
        })
        .collect();
    let lowest = bars
        .iter()
        .flat_map(|b| [Some(b.target), b.percent])
        .flatten()
        .fold(100.0f64, f64::min);
    // Whole percents, at least one below the lowest figure.
    let axis_from = (lowest - 1.0).floor().clamp(0.0, 99.0);
    Some(AvailabilityPanel { bars, axis_from })
}

impl ChartPlan {
    /// The chart's height in pixels: the compliance panel and the rows of histograms.
    pub fn height(&self) -> u32 {
        let rows = (self.histograms.len() as u32).div_ceil(COLUMNS);
        let top = if self.compliance.is_some() {
            COMPLIANCE_HEIGHT
        } else {
            120
        };
        let key = if rows > 0 { KEY_HEIGHT } else { 0 };
        top + key + rows * HISTOGRAM_HEIGHT + self.availability.as_ref().map_or(0, AvailabilityPanel::height)
    }
}

impl AvailabilityPanel {
    /// The panel's height in pixels.
    pub fn height(&self) -> u32 {
        AVAILABILITY_TOP + AVAILABILITY_ROW * self.bars.len() as u32 + 20
    }
}

fn has_target(p: &PriorityFigures, m: Milestone) -> bool {
    match m {
        Milestone::Response => p.response_target,
        Milestone::Resolution => p.resolution_target,
    }
}

fn figure(p: &PriorityFigures, m: Milestone) -> &ComplianceFigure {
    match m {
        Milestone::Response => &p.response,
        Milestone::Resolution => &p.resolution,
    }
}

/// Chart message `m` in `l`, filled.
fn say(l: Locale, m: C, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(m.text(l), args)
}

fn compliance_panel(r: &MonthlyReport, a: Option<&Agreement>, milestones: &[Milestone], l: Locale) -> CompliancePanel {
    let f = &r.figures;
    let mut groups: Vec<BarGroup> = f
        .priorities
        .iter()
        .filter(|p| milestones.iter().any(|m| has_target(p, *m)))
        .map(|p| BarGroup {
            priority: Some(p.priority.clone()),
            label: priority_label(a, &p.priority),
            bars: milestones
                .iter()
                .map(|&m| {
                    let fig = figure(p, m);
                    Bar {
                        milestone: m,
                        has_target: has_target(p, m),
                        percent: fig.percent,
                        counted: fig.counted(),
                        goal: fig.goal,
                    }
                })
                .collect(),
        })
        .collect();
    groups.push(BarGroup {
        priority: None,
        label: C::AllPriorities.text(l).into(),
        bars: milestones
            .iter()
            .map(|&m| {
                let fig = match m {
                    Milestone::Response => &f.response,
                    Milestone::Resolution => &f.resolution,
                };
                Bar {
                    milestone: m,
                    has_target: true,
                    percent: fig.percent,
                    counted: fig.counted(),
                    goal: fig.goal,
                }
            })
            .collect(),
    });
    let mut legend: Vec<LegendEntry> = milestones
        .iter()
        .map(|&m| LegendEntry {
            kind: LegendKind::Bars(m),
            text: say(l, C::WithinTarget, &[("milestone", &l.milestone(m))]),
        })
        .collect();
    for &m in milestones {
        let goals: Vec<f64> = groups
            .iter()
            .flat_map(|g| g.bars.iter())
            .filter(|b| b.milestone == m)
            .filter_map(|b| b.goal)
            .collect();
        let Some(first) = goals.first() else { continue };
        let scope = a.and_then(|a| a.compliance.as_ref()).map(|c| match m {
            Milestone::Response => c.response_scope,
            Milestone::Resolution => c.resolution_scope,
        });
        let over = match scope {
            Some(GoalScope::EachPriority) => C::EachPriority,
            _ => C::AllTogether,
        }
        .text(l);
        let milestone = l.milestone(m);
        let text = if goals.iter().all(|g| g == first) {
            say(
                l,
                C::GoalOne,
                &[("milestone", &milestone), ("goal", &percent(*first)), ("over", &over)],
            )
        } else {
            say(l, C::GoalLines, &[("milestone", &milestone), ("over", &over)])
        };
        legend.push(LegendEntry {
            kind: LegendKind::Goal(m),
            text,
        });
    }
    CompliancePanel {
        milestones: milestones.to_vec(),
        groups,
        legend,
    }
}

fn percent(v: f64) -> String {
    format!("{v:.0} %")
}

/// The target of priority `p` for `m`: in business seconds where known, and as written.
fn target(a: Option<&Agreement>, p: &str, m: Milestone) -> Option<(Option<i64>, BusinessDuration, Option<i64>)> {
    let a = a?;
    let t = a.targets_for(p)?;
    let Target::Within { duration, schedule, .. } = (match m {
        Milestone::Response => &t.response,
        Milestone::Resolution => &t.resolution,
    }) else {
        return None;
    };
    let day = a.schedule(schedule).and_then(|s| {
        let longest = s
            .weekly
            .iter()
            .map(|ws| {
                ws.iter()
                    .map(|w| i64::from(w.end.0) - i64::from(w.start.0))
                    .sum::<i64>()
            })
            .max()
            .unwrap_or(0);
        (!s.always && longest > 0).then_some(longest * 60)
    });
    let secs = match *duration {
        BusinessDuration::Seconds(s) => Some(s),
        BusinessDuration::WorkingDays(n) => day.map(|d| i64::from(n) * d),
        BusinessDuration::CalendarDays(n) => Some(i64::from(n) * 86_400),
    };
    Some((secs, *duration, day))
}

/// A target duration in words in `l`: `30 min`, `4 h`, `1 h 30 min`, `3 working days`.
fn written(d: BusinessDuration, l: Locale) -> String {
    match d {
        BusinessDuration::Seconds(s) if s % 3600 == 0 => say(l, C::Hours, &[("hours", &(s / 3600))]),
        BusinessDuration::Seconds(s) if s < 3600 => say(l, C::Minutes, &[("minutes", &(s / 60))]),
        BusinessDuration::Seconds(s) => say(
            l,
            C::HoursMinutes,
            &[("hours", &(s / 3600)), ("minutes", &((s % 3600) / 60))],
        ),
        BusinessDuration::WorkingDays(1) => C::OneWorkingDay.text(l).into(),
        BusinessDuration::WorkingDays(n) => say(l, C::WorkingDays, &[("days", &n)]),
        BusinessDuration::CalendarDays(n) => say(l, C::Days, &[("days", &n)]),
    }
}

/// Whole-unit bin widths offered in each unit, smallest first.
fn widths(unit: TimeUnit) -> &'static [i64] {
    match unit {
        TimeUnit::Minutes => &[1, 2, 5, 10, 15, 20, 30, 60],
        TimeUnit::Hours => &[1, 2, 3, 4, 6, 8, 12, 24, 48, 96, 168],
        TimeUnit::WorkingDays(_) => &[1, 2, 5, 10, 20, 50, 100],
    }
}

fn histogram_panel(
    p: &PriorityFigures,
    m: Milestone,
    times: &TimeStats,
    a: Option<&Agreement>,
    l: Locale,
) -> HistogramPanel {
    let target = target(a, &p.priority, m);
    let target_secs = target.and_then(|(s, _, _)| s);
    let max = times.values.iter().map(|(v, _)| *v).max().unwrap_or(0).max(1);
    let span = max.max(target_secs.unwrap_or(0));
    let day = target.and_then(|(_, _, d)| d);
    let in_wd = matches!(target, Some((_, BusinessDuration::WorkingDays(_), _)));
    let unit = match day {
        Some(d) if in_wd => TimeUnit::WorkingDays(d),
        _ if span <= 2 * 3600 => TimeUnit::Minutes,
        _ => TimeUnit::Hours,
    };
    let us = unit.seconds();
    let span_units = (span + us - 1) / us;
    let target_units = target_secs.map(|t| t as f64 / us as f64);
    let fits = |w: i64| (span_units + w - 1) / w <= MAX_BINS;
    let divides = |w: i64| target_secs.is_none_or(|t| t % (w * us) == 0);
    let width = widths(unit)
        .iter()
        .copied()
        .find(|&w| fits(w) && divides(w))
        .or_else(|| widths(unit).iter().copied().find(|&w| fits(w)))
        .unwrap_or_else(|| (span_units + MAX_BINS - 1) / MAX_BINS);
    let width = width.max(1);
    let mut bins = ((span_units + width - 1) / width).max(1);
    // Room past the target, so its mark is not on the frame and a miss has a bin to go in.
    if target_secs.is_some_and(|t| t >= bins * width * us) {
        bins += 1;
    }
    let bin_secs = width * us;
    let mut counts = vec![0u32; bins as usize];
    for (v, _) in &times.values {
        let i = if *v <= 0 { 0 } else { ((v - 1) / bin_secs).min(bins - 1) };
        counts[i as usize] += 1;
    }
    let edges: Vec<i64> = (0..=bins).map(|i| i * width).collect();
    let late = (0..bins)
        .map(|i| target_secs.is_some_and(|t| i * bin_secs >= t))
        .collect();
    let count = times.values.len();
    HistogramPanel {
        priority: p.priority.clone(),
        milestone: m,
        title: say(
            l,
            C::HistogramTitle,
            &[
                ("priority", &priority_label(a, &p.priority)),
                ("milestone", &l.milestone(m)),
                ("count", &count),
            ],
        ),
        unit,
        edges,
        counts,
        late,
        target: target_units,
        target_text: target.map(|(_, d, _)| written(d, l)),
    }
}

// ---------------------------------------------------------------------------------------
// Drawing the plan.

/// The monthly report's chart as PNG bytes, labelled in `l`.
pub fn monthly_png(r: &MonthlyReport, a: Option<&Agreement>, l: Locale) -> Result<Vec<u8>, ChartError> {
    font()?;
    let plan = plan(r, a, l);
    let height = plan.height();
    let mut buf = vec![0u8; (WIDTH * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let title_style = TextStyle::from((FONT, 24).into_font()).color(&BLACK);
        root.draw(&Text::new(plan.title.clone(), (20, 12), title_style))
            .map_err(draw_err)?;
        let body = root.margin(44, 0, 0, 0);
        let rest = match &plan.compliance {
            Some(c) => {
                let (top, rest) = body.split_vertically(COMPLIANCE_HEIGHT - 44);
                compliance(&top, c, l)?;
                rest
            }
            None => {
                let style = TextStyle::from((FONT, 18).into_font()).color(&GREY);
                body.draw(&Text::new(C::NoTargets.text(l), (20, 20), style))
                    .map_err(draw_err)?;
                body.margin(76, 0, 0, 0)
            }
        };
        if !plan.histograms.is_empty() {
            let key = TextStyle::from((FONT, 16).into_font()).color(&BLACK);
            rest.draw(&Text::new(C::Key.text(l), (20, 4), key)).map_err(draw_err)?;
            let rows = (plan.histograms.len() as u32).div_ceil(COLUMNS);
            let (grid, _) = rest
                .margin(KEY_HEIGHT, 0, 0, 0)
                .split_vertically(rows * HISTOGRAM_HEIGHT);
            let cells = grid.split_evenly((rows as usize, COLUMNS as usize));
            for (h, cell) in plan.histograms.iter().zip(cells.iter()) {
                histogram(cell, h, l)?;
            }
        }
        if let Some(p) = &plan.availability {
            let (w, h) = root.dim_in_pixel();
            let top = h.saturating_sub(p.height()) as i32;
            availability(&root.clone().shrink((0, top), (w, p.height())), p, l)?;
        }
        root.present().map_err(draw_err)?;
    }
    let mut out = Vec::new();
    {
        use image::ImageEncoder;
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&buf, WIDTH, height, image::ColorType::Rgb8)
            .map_err(|e| ChartError::Encode(e.to_string()))?;
    }
    Ok(out)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn bar_colour(m: Milestone) -> RGBColor {
    match m {
        Milestone::Response => RESPONSE,
        Milestone::Resolution => RESOLUTION,
    }
}

fn goal_colour(m: Milestone) -> RGBColor {
    match m {
        Milestone::Response => RESPONSE_GOAL,
        Milestone::Resolution => RESOLUTION_GOAL,
    }
}

/// A point in the backend's pixels (as a chart gives it) in `area`'s own pixels.
fn local(area: &Area<'_>, (x, y): (i32, i32)) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    (x - bx, y - by)
}

/// A dashed horizontal or vertical line from `a` to `b` in pixels.
fn dashed(area: &Area<'_>, a: (i32, i32), b: (i32, i32), style: ShapeStyle) -> Result<(), ChartError> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.abs().max(dy.abs()).max(1);
    let (dash, gap) = (9, 5);
    let mut s = 0;
    while s < len {
        let e = (s + dash).min(len);
        let p = |t: i32| (a.0 + dx * t / len, a.1 + dy * t / len);
        area.draw(&PathElement::new(vec![p(s), p(e)], style))
            .map_err(draw_err)?;
        s = e + gap;
    }
    Ok(())
}

/// The legend row: a swatch and the text of each entry, left to right, wrapping.
fn legend(area: &Area<'_>, entries: &[LegendEntry]) -> Result<(), ChartError> {
    let style = TextStyle::from((FONT, 15).into_font()).color(&BLACK);
    let (w, _) = area.dim_in_pixel();
    let (mut x, mut y) = (60i32, 4i32);
    for e in entries {
        let (tw, _) = area.estimate_text_size(&e.text, &style).map_err(draw_err)?;
        if x + 30 + tw as i32 > w as i32 - 10 {
            x = 60;
            y += 22;
        }
        match e.kind {
            LegendKind::Bars(m) => {
                area.draw(&Rectangle::new([(x, y + 2), (x + 22, y + 14)], bar_colour(m).filled()))
                    .map_err(draw_err)?;
            }
            LegendKind::Goal(m) => dashed(area, (x, y + 8), (x + 22, y + 8), goal_colour(m).stroke_width(3))?,
        }
        area.draw(&Text::new(e.text.clone(), (x + 28, y), style.clone()))
            .map_err(draw_err)?;
        x += 28 + tw as i32 + 28;
    }
    Ok(())
}

/// `text` broken into lines at spaces, each at most `max` pixels wide where a word allows.
fn wrap(area: &Area<'_>, text: &str, font: &TextStyle<'_>, max: u32) -> Result<Vec<String>, ChartError> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if let Some(last) = lines.last_mut() {
            let candidate = format!("{last} {word}");
            if area.estimate_text_size(&candidate, font).map_err(draw_err)?.0 <= max {
                *last = candidate;
                continue;
            }
        }
        lines.push(word.to_string());
    }
    Ok(lines)
}

fn compliance(area: &Area<'_>, c: &CompliancePanel, l: Locale) -> Result<(), ChartError> {
    let (legend_area, plot_area) = area.split_vertically(58);
    let caption = TextStyle::from((FONT, 18).into_font()).color(&BLACK);
    legend_area
        .draw(&Text::new(C::ComplianceCaption.text(l), (20, 0), caption))
        .map_err(draw_err)?;
    legend(&legend_area.margin(24, 0, 0, 0), &c.legend)?;
    let n = c.groups.len();
    let label_font = TextStyle::from((FONT, 14).into_font());
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_left(15)
        .margin_right(20)
        .margin_top(10)
        .x_label_area_size(62)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..n as f64, 0f64..110f64)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(12)
        .y_label_formatter(&|v| {
            if *v <= 100.0 {
                format!("{v:.0} %")
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE)
        .y_desc(C::MetWithinTarget.text(l))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)?;
    let k = c.milestones.len() as f64;
    // The bars take 80 % of a group's width (half of it when there is one per group).
    let total = if c.milestones.len() == 1 { 0.5 } else { 0.8 };
    let slot = total / k;
    let value_style = TextStyle::from((FONT, 13).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let group_px = {
        let (a, _) = local(&plot_area, chart.backend_coord(&(0.0, 0.0)));
        let (b, _) = local(&plot_area, chart.backend_coord(&(1.0, 0.0)));
        (b - a).max(1) as u32
    };
    for (i, g) in c.groups.iter().enumerate() {
        let i = i as f64;
        for (j, b) in g.bars.iter().enumerate() {
            if !b.has_target {
                continue;
            }
            let x0 = i + (1.0 - total) / 2.0 + slot * j as f64;
            let x1 = x0 + slot * 0.9;
            let v = b.percent.unwrap_or(0.0);
            if b.percent.is_some() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, 0.0), (x1, v)],
                        bar_colour(b.milestone).filled(),
                    )))
                    .map_err(draw_err)?;
            }
            let text = b.percent.map_or(C::NoneCounted.text(l).to_string(), |p| {
                say(l, C::ShareOf, &[("percent", &percent(p)), ("count", &b.counted)])
            });
            let (px, py) = local(&plot_area, chart.backend_coord(&((x0 + x1) / 2.0, v)));
            plot_area
                .draw(&Text::new(text, (px, py - 3), value_style.clone()))
                .map_err(draw_err)?;
            // A goal over a bar that is there (not over "none counted").
            if let (Some(goal), Some(_)) = (b.goal, b.percent) {
                let (ax, gy) = local(&plot_area, chart.backend_coord(&(x0 - slot * 0.05, goal)));
                let (bx, _) = local(&plot_area, chart.backend_coord(&(x1 + slot * 0.05, goal)));
                dashed(&plot_area, (ax, gy), (bx, gy), goal_colour(b.milestone).stroke_width(3))?;
            }
        }
        // The label under the group, wrapped to its width.
        let (px, py) = local(&plot_area, chart.backend_coord(&(i + 0.5, 0.0)));
        let lines = wrap(&plot_area, &g.label, &label_font, group_px.saturating_sub(8))?;
        let style = label_font.color(&BLACK).pos(Pos::new(HPos::Center, VPos::Top));
        for (l, line) in lines.iter().take(3).enumerate() {
            plot_area
                .draw(&Text::new(line.clone(), (px, py + 8 + 17 * l as i32), style.clone()))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}

fn availability(area: &Area<'_>, p: &AvailabilityPanel, l: Locale) -> Result<(), ChartError> {
    let caption = TextStyle::from((FONT, 18).into_font()).color(&BLACK);
    area.draw(&Text::new(C::AvailabilityCaption.text(l), (20, 8), caption))
        .map_err(draw_err)?;
    let label_style = TextStyle::from((FONT, 14).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = TextStyle::from((FONT, 13).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (w, _) = area.dim_in_pixel();
    let (x0, x1) = (380i32, w as i32 - 200);
    let span = (100.0 - p.axis_from).max(0.001);
    let x = |v: f64| x0 + ((v.clamp(p.axis_from, 100.0) - p.axis_from) / span * f64::from(x1 - x0)) as i32;
    // The axis: its ends.
    let axis_y = AVAILABILITY_TOP as i32 - 18;
    let tick = TextStyle::from((FONT, 12).into_font())
        .color(&GREY)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for v in [p.axis_from, 100.0] {
        area.draw(&Text::new(format!("{v:.0} %"), (x(v), axis_y), tick.clone()))
            .map_err(draw_err)?;
    }
    area.draw(&PathElement::new(vec![(x0, axis_y + 2), (x1, axis_y + 2)], GREY))
        .map_err(draw_err)?;
    for (n, b) in p.bars.iter().enumerate() {
        let y = AVAILABILITY_TOP as i32 + AVAILABILITY_ROW as i32 * n as i32;
        let mid = y + AVAILABILITY_ROW as i32 / 2;
        area.draw(&Text::new(b.label.clone(), (x0 - 10, mid), label_style.clone()))
            .map_err(draw_err)?;
        let colour = if b.met { WITHIN } else { LATE };
        if let Some(v) = b.percent {
            area.draw(&Rectangle::new(
                [(x0, y + 6), (x(v), y + AVAILABILITY_ROW as i32 - 6)],
                colour.filled(),
            ))
            .map_err(draw_err)?;
        }
        let tx = x(b.target);
        dashed(
            area,
            (tx, y + 2),
            (tx, y + AVAILABILITY_ROW as i32 - 2),
            TARGET.stroke_width(2),
        )?;
        let text = match b.percent {
            Some(v) => say(
                l,
                C::Measured,
                &[("percent", &format!("{v:.3}")), ("target", &b.target)],
            ),
            None => say(l, C::NothingMeasured, &[("target", &b.target)]),
        };
        area.draw(&Text::new(text, (x1 + 10, mid), value_style.clone()))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn histogram(area: &Area<'_>, h: &HistogramPanel, l: Locale) -> Result<(), ChartError> {
    let area = area.margin(8, 8, 8, 8);
    let caption = TextStyle::from((FONT, 15).into_font()).color(&BLACK);
    let title = wrap(&area, &h.title, &caption, area.dim_in_pixel().0 - 20)?;
    for (l, line) in title.iter().take(2).enumerate() {
        area.draw(&Text::new(line.clone(), (10, 2 + 18 * l as i32), caption.clone()))
            .map_err(draw_err)?;
    }
    let plot_area = area.margin(8 + 18 * title.len().min(2) as u32, 0, 0, 0);
    let top = h.counts.iter().copied().max().unwrap_or(0) + 1;
    let right = *h.edges.last().unwrap_or(&1) as f64;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_right(15)
        .margin_top(14)
        .x_label_area_size(44)
        .y_label_area_size(36)
        .build_cartesian_2d(0f64..right, 0u32..top)
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels((top as usize + 1).min(8))
        .y_label_formatter(&|v| v.to_string())
        .light_line_style(WHITE)
        .x_desc(h.unit.axis(l))
        .y_desc(C::Incidents.text(l))
        .label_style((FONT, 12))
        .axis_desc_style((FONT, 13))
        .draw()
        .map_err(draw_err)?;
    let gap = right / 200.0;
    for (i, c) in h.counts.iter().enumerate() {
        if *c == 0 {
            continue;
        }
        let colour = if h.late[i] { LATE } else { WITHIN };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(h.edges[i] as f64 + gap, 0), (h.edges[i + 1] as f64 - gap, *c)],
                colour.filled(),
            )))
            .map_err(draw_err)?;
    }
    // The edges as labels: every one, or every other where there are many.
    let step = if h.edges.len() > 9 { 2 } else { 1 };
    let label_style = TextStyle::from((FONT, 12).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    for e in h.edges.iter().step_by(step) {
        let (px, py) = local(&plot_area, chart.backend_coord(&(*e as f64, 0)));
        plot_area
            .draw(&Text::new(e.to_string(), (px, py + 5), label_style.clone()))
            .map_err(draw_err)?;
    }
    if let (Some(t), Some(text)) = (h.target, &h.target_text) {
        let (tx, ty0) = local(&plot_area, chart.backend_coord(&(t, 0)));
        let (_, ty1) = local(&plot_area, chart.backend_coord(&(t, top)));
        dashed(&plot_area, (tx, ty0), (tx, ty1), TARGET.stroke_width(2))?;
        let (anchor, dx) = if t > right * 0.6 {
            (HPos::Right, -5)
        } else {
            (HPos::Left, 5)
        };
        let style = TextStyle::from((FONT, 12).into_font())
            .color(&TARGET)
            .pos(Pos::new(anchor, VPos::Top));
        plot_area
            .draw(&Text::new(
                say(l, C::TargetMark, &[("target", &text)]),
                (tx + dx, ty1),
                style,
            ))
            .map_err(draw_err)?;
    }
    Ok(())
}
