//! `claims report dashboard --html FILE`: one self-contained page (inline SVG charts drawn
//! with plotters, no scripts, no network) of the figures the reports compute, from the
//! office's `templates/dashboard.html.j2` (the built-in one when the office has none).

use plotters::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::Globals;
use crate::domain::calendar::BusinessCalendar;
use crate::domain::reports::inventory::Aging;
use crate::domain::reports::over_time::{LargestReserves, Months, SlaByAdjuster, SLA_STATUSES};
use crate::domain::reports::{Scope, Tally};
use crate::domain::sla::SlaContext;
use crate::error::{Error, Result};
use crate::store::session::Workspace;

const BUILT_IN: &str = include_str!("../../templates/dashboard.html.j2");
const SIZE: (u32, u32) = (640, 340);
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

#[derive(Serialize)]
struct Chart {
    title: &'static str,
    definition: String,
    svg: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The page, as text.
pub fn page(g: &Globals, ws: &Workspace, scope: &Scope) -> Result<String> {
    let calendar = BusinessCalendar::new(ws.office.calendar.clone());
    let ctx = SlaContext::of(&ws.office, &calendar, ws.tz);
    let mut aging = Aging::new(scope);
    let mut months = Months::new(scope);
    let mut sla = SlaByAdjuster::default();
    let mut largest = LargestReserves::new(5);
    let mut claims = 0;
    super::report::read_claims(g, ws, |c| {
        claims += 1;
        aging.add(c);
        months.add(c);
        sla.add(c, &ctx, scope.as_of);
        largest.add(c, ws.tz);
    });
    let aging = aging.finish();
    let bands: Vec<(String, f64)> = aging
        .headers
        .iter()
        .zip(aging.rows.first().into_iter().flatten())
        .take(scope.settings.aging_days.len() + 1)
        .map(|(h, v)| (h.clone(), v.number().unwrap_or(0.0)))
        .collect();
    let open = months.open();
    let to_close = months.days_to_close();
    let charts = vec![
        Chart {
            title: "Open inventory over time",
            definition: "Claims open at the end of each month (from notice, or reopening, to closing or denial).".into(),
            svg: line_chart(&[("open claims", open.iter().map(|(m, n)| (m.clone(), *n as f64)).collect())], "claims")?,
            headers: vec!["month".into(), "open".into()],
            rows: open.iter().map(|(m, n)| vec![m.clone(), n.to_string()]).collect(),
        },
        Chart {
            title: "Aging of open claims",
            definition: format!("Open claims as of {} by days since notice.", scope.as_of),
            svg: bar_chart(&bands, "claims")?,
            headers: vec!["age (days)".into(), "open".into()],
            rows: bands.iter().map(|(b, n)| vec![b.clone(), format!("{n}")]).collect(),
        },
        Chart {
            title: "SLA status by adjuster",
            definition: format!("The SLA clocks of open claims as of {}, by the adjuster handling them.", scope.as_of),
            svg: stacked_bars(&sla)?,
            headers: std::iter::once("adjuster".to_string())
                .chain(SLA_STATUSES.iter().map(|s| s.as_str().to_string()))
                .collect(),
            rows: sla
                .counts
                .iter()
                .map(|(who, n)| std::iter::once(who.clone()).chain(n.iter().map(u64::to_string)).collect())
                .collect(),
        },
        Chart {
            title: "Cycle time trend",
            definition: "Median calendar days from notice to closing, by the month claims closed.".into(),
            svg: line_chart(&[("median days to close", to_close.clone())], "days")?,
            headers: vec!["month".into(), "median days".into()],
            rows: to_close.iter().map(|(m, d)| vec![m.clone(), format!("{d:.1}")]).collect(),
        },
        Chart {
            title: "Reserve development of the largest claims",
            definition: "The reserve of each of the five claims with the largest reserves, change by change.".into(),
            svg: reserve_chart(&largest)?,
            headers: vec!["claim".into(), "changes".into(), "largest reserve".into()],
            rows: largest
                .claims
                .iter()
                .map(|(top, id, s)| vec![id.clone(), s.len().to_string(), format!("{top:.2}")])
                .collect(),
        },
    ];
    let source = std::fs::read_to_string(ws.root.join("templates/dashboard.html.j2"))
        .unwrap_or_else(|_| BUILT_IN.to_string());
    let mut env = minijinja::Environment::new();
    env.add_template("dashboard.html.j2", &source)
        .map_err(|e| Error::refused(format!("templates/dashboard.html.j2: {e}")))?;
    env.get_template("dashboard.html.j2")
        .and_then(|t| {
            t.render(minijinja::context! {
                office => ws.office.office.name,
                as_of => scope.as_of.to_string(),
                from => scope.period.from.to_string(),
                to => scope.period.to.to_string(),
                claims => claims,
                charts => charts,
            })
        })
        .map_err(|e| Error::refused(format!("templates/dashboard.html.j2: {e}")))
}

/// A person or handler short enough to sit under a bar: the email's name, or the first
/// word of an outside handler's.
fn short_name(who: &str) -> String {
    let name = who.split('@').next().unwrap_or(who);
    let name = if who.contains('@') {
        name
    } else {
        name.split(' ').next().unwrap_or(name)
    };
    name.chars().take(12).collect()
}

fn drawing<E: std::fmt::Display>(e: E) -> Error {
    Error::environment(format!("drawing a chart: {e}"))
}

/// Lines over categories (months): one series per name.
fn line_chart(series: &[(&str, Vec<(String, f64)>)], unit: &str) -> Result<String> {
    let labels: Vec<String> = series
        .first()
        .map(|s| s.1.iter().map(|p| p.0.clone()).collect())
        .unwrap_or_default();
    let top = series
        .iter()
        .flat_map(|s| s.1.iter().map(|p| p.1))
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let n = labels.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(36)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0usize..n.saturating_sub(1).max(1), 0f64..top)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_desc(unit)
            .draw()
            .map_err(drawing)?;
        for (k, (name, points)) in series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(
                    points.iter().enumerate().map(|(i, p)| (i, p.1)),
                    color.stroke_width(2),
                ))
                .map_err(drawing)?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
            chart
                .draw_series(
                    points
                        .iter()
                        .enumerate()
                        .map(|(i, p)| Circle::new((i, p.1), 3, color.filled())),
                )
                .map_err(drawing)?;
        }
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// One bar per category.
fn bar_chart(bars: &[(String, f64)], unit: &str) -> Result<String> {
    let top = bars.iter().map(|b| b.1).fold(0.0f64, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(36)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d((0..bars.len()).into_segmented(), 0f64..top)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => bars.get(*i).map(|b| b.0.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc(unit)
            .draw()
            .map_err(drawing)?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(PALETTE[0].filled())
                    .margin(8)
                    .data(bars.iter().enumerate().map(|(i, b)| (i, b.1))),
            )
            .map_err(drawing)?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// A bar per adjuster, stacked by clock status.
fn stacked_bars(sla: &SlaByAdjuster) -> Result<String> {
    let people: Vec<&String> = sla.counts.keys().collect();
    let top = sla
        .counts
        .values()
        .map(|n| n.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64
        * 1.1;
    let colors = [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]];
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(36)
            .x_label_area_size(48)
            .y_label_area_size(48)
            .build_cartesian_2d((0..people.len().max(1)).into_segmented(), 0f64..top)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => {
                    people.get(*i).map(|p| short_name(p)).unwrap_or_default()
                }
                _ => String::new(),
            })
            .y_desc("clocks")
            .draw()
            .map_err(drawing)?;
        for (s, status) in SLA_STATUSES.iter().enumerate() {
            let color = colors[s];
            let bars = people.iter().enumerate().map(|(i, p)| {
                let n = &sla.counts[*p];
                let below: u64 = n[..s].iter().sum();
                Rectangle::new(
                    [
                        (SegmentValue::Exact(i), below as f64),
                        (SegmentValue::Exact(i + 1), (below + n[s]) as f64),
                    ],
                    color.filled(),
                )
            });
            chart
                .draw_series(bars)
                .map_err(drawing)?
                .label(status.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(drawing)?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// Each large claim's reserve over time, as steps.
fn reserve_chart(largest: &LargestReserves) -> Result<String> {
    let dates = largest.claims.iter().flat_map(|c| c.2.iter().map(|p| p.0));
    let (first, last) = match (dates.clone().min(), dates.max()) {
        (Some(a), Some(b)) if a < b => (a, b),
        (Some(a), _) => (a, a + chrono::Duration::days(30)),
        _ => {
            let today = chrono::Utc::now().date_naive();
            (today - chrono::Duration::days(30), today)
        }
    };
    let top = largest
        .claims
        .iter()
        .map(|c| c.0.to_f64().unwrap_or(0.0))
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .margin_right(36)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(first..last, 0f64..top)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|d| d.format("%Y-%m-%d").to_string())
            .y_desc("reserve")
            .draw()
            .map_err(drawing)?;
        for (k, (_, id, points)) in largest.claims.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let mut steps = Vec::new();
            for (i, (d, amount)) in points.iter().enumerate() {
                let y = amount.to_f64().unwrap_or(0.0);
                if i > 0 {
                    steps.push((
                        *d,
                        steps.last().map_or(y, |p: &(chrono::NaiveDate, f64)| p.1),
                    ));
                }
                steps.push((*d, y));
            }
            if let Some(p) = steps.last().copied() {
                steps.push((last, p.1));
            }
            chart
                .draw_series(LineSeries::new(steps, color.stroke_width(2)))
                .map_err(drawing)?
                .label(id.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
        }
        if !largest.claims.is_empty() {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(drawing)?;
        }
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}
