//! The charts section: server-rendered SVGs, each with its figures as a table for screen
//! readers (collapsed under a `<details>`).

use engine::charts::{Chart, Charts};
use leptos::prelude::*;

#[component]
pub fn ChartSet(charts: Charts) -> impl IntoView {
    let list: Vec<Chart> = [Some(charts.s_curve), charts.histogram, charts.tornado]
        .into_iter()
        .flatten()
        .collect();
    view! { <div class="charts">{list.into_iter().map(|chart| view! { <ChartFigure chart /> }).collect_view()}</div> }
}

#[component]
pub fn ChartFigure(chart: Chart) -> impl IntoView {
    view! {
        <figure class=format!("chart chart-{}", chart.id)>
            <figcaption>{chart.title.clone()}</figcaption>
            <div class="chart-svg" inner_html=chart.svg></div>
            <details class="chart-table">
                <summary>"Data table"</summary>
                <div class="table-wrap">
                    <table class="data">
                        <thead>
                            <tr>{chart.table_head.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {chart
                                .table_rows
                                .into_iter()
                                .map(|row| view! { <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}
