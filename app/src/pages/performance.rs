//! `/performance` — the live performance dashboard (viewers): response time, cache hit rate
//! and WebSocket sessions over the last 15 minutes (with their thresholds), per-operation
//! timings with sparklines, grouped alerts, recommendations, cache and component health. The body refreshes
//! itself through [`LiveRegion`]; admins get forms to switch the monitor and clear data.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;

use super::awaited;
use crate::components::chart::{Sparkline, TimeChart};
use crate::components::{format, Layout};
use crate::error::AppError;
use crate::islands::LiveRegion;
use crate::policy::Action;
use crate::services::{PerformanceView, RequestCtx};

/// Admin: switch recording on or off (plain form post), then back to the dashboard.
#[server(prefix = "/api/fn", endpoint = "set_monitoring")]
pub async fn set_monitoring(enabled: bool) -> Result<(), AppError> {
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    ctx.services
        .set_monitoring(&ctx.principal, enabled)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect("/performance");
    Ok(())
}

/// Admin: drop monitor data older than `hours` (0 clears everything).
#[server(prefix = "/api/fn", endpoint = "clear_monitor_data")]
pub async fn clear_monitor_data(hours: u32) -> Result<(), AppError> {
    let ctx = RequestCtx::current().map_err(AppError::respond)?;
    ctx.services
        .clear_monitor_data(&ctx.principal, hours)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect("/performance");
    Ok(())
}

/// The dashboard body as HTML, for the live region's refresh.
pub async fn dashboard_html() -> Result<String, AppError> {
    let ctx = RequestCtx::current()?;
    let view = ctx.services.performance().await?;
    Ok(Owner::new().with(|| view! { <Dashboard view /> }.to_html()))
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    view! {
        <Layout>
            <Title text="Performance" />
            <header class="page-header">
                <h1>"Performance"</h1>
                <p class="lede">"How long the report pipeline and the API take, what the monitor flags, and how the cache is doing. Updates every few seconds."</p>
            </header>
            {awaited(|ctx| async move {
                let view = ctx.services.performance().await?;
                let admin = ctx.principal.may(Action::SwitchMonitor);
                Ok(view! {
                    {admin.then(|| view! { <AdminControls enabled=view.enabled /> })}
                    <LiveRegion every_ms=3000>
                        <Dashboard view />
                    </LiveRegion>
                }
                    .into_any())
            })}
        </Layout>
    }
}

#[component]
fn AdminControls(enabled: bool) -> impl IntoView {
    view! {
        <section class="panel admin-controls" aria-label="Monitor controls">
            <form method="post" action=SetMonitoring::PATH class="inline-form">
                <input type="hidden" name="enabled" value=(!enabled).to_string() />
                <button type="submit" class="button">
                    {if enabled { "Switch monitoring off" } else { "Switch monitoring on" }}
                </button>
            </form>
            <form method="post" action=ClearMonitorData::PATH class="inline-form">
                <input type="hidden" name="hours" value="0" />
                <button type="submit" class="button">"Clear monitor data"</button>
            </form>
        </section>
    }
}

#[component]
fn Dashboard(view: PerformanceView) -> impl IntoView {
    let v = view;
    view! {
        <div class="dashboard">
            <section class="panel">
                <h2>"Health"</h2>
                <p class="monitor-state" data-enabled=v.enabled.to_string()>
                    {if v.enabled { "Monitoring is on" } else { "Monitoring is off" }}
                    {format!(" · up {}", uptime(v.uptime_seconds))}
                </p>
                <ul class="health">
                    {v.health
                        .into_iter()
                        .map(|(part, status)| {
                            let class = format!("badge health-{status}");
                            view! { <li><span class="health-part">{part}</span><span class=class>{status}</span></li> }
                        })
                        .collect_view()}
                </ul>
                <p class="cache-line">
                    {format!(
                        "Cache: {} · hit rate {:.1} % ({} hits, {} misses)",
                        v.cache_backend,
                        v.cache_hit_rate,
                        v.cache_hits,
                        v.cache_misses,
                    )}
                </p>
            </section>
            <section class="panel chart-panel" data-chart="response">
                <h2>"Response time"</h2>
                <TimeChart series=v.response title="HTTP response time".to_string() />
            </section>
            <section class="panel chart-panel" data-chart="cache">
                <h2>"Cache hit rate"</h2>
                <TimeChart series=v.cache_rate title="Cache hit rate".to_string() />
            </section>
            <section class="panel chart-panel" data-chart="sessions">
                <h2>"WebSocket sessions"</h2>
                <TimeChart series=v.sessions title="Open WebSocket sessions".to_string() />
            </section>
            <section class="panel">
                <h2>"Operations"</h2>
                <OperationsTable rows=v.operations />
            </section>
            <section class="panel">
                <h2>"Alerts"</h2>
                {if v.alerts.is_empty() {
                    view! { <p class="empty">"No alerts."</p> }.into_any()
                } else {
                    view! {
                        <ul class="alerts">
                            {v.alerts
                                .into_iter()
                                .map(|a| {
                                    let state = if a.firing { "firing" } else { "resolved" };
                                    view! {
                                        <li class=format!("alert-{state}") data-state=state>
                                            <span class=format!("badge severity-{}", a.severity)>{a.severity.clone()}</span>
                                            " " <span class="badge alert-state">{state}</span>
                                            " " {a.message}
                                            {(a.count > 1).then(|| view! { <span class="muted alert-count">{format!(" ×{}", a.count)}</span> })}
                                            <span class="muted alert-seen">{seen(a.first_seen_ms, a.last_seen_ms)}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section class="panel">
                <h2>"Recommendations"</h2>
                {if v.recommendations.is_empty() {
                    view! { <p class="empty">"Nothing to recommend: every rule is within its threshold."</p> }.into_any()
                } else {
                    view! {
                        <ul class="recommendations">
                            {v.recommendations
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <li>
                                            <span class=format!("badge priority priority-{}", r.priority)>{r.priority.clone()}</span>
                                            " " <strong>{r.issue}</strong>
                                            <p>{r.recommendation} " " <span class="muted">{r.expected_improvement}</span></p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        </div>
    }
}

#[component]
fn OperationsTable(rows: Vec<crate::services::OperationRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"Nothing timed yet."</p> }.into_any();
    }
    let ms = |v: f64| format!("{v:.1}");
    view! {
        <div class="table-wrap">
            <table class="data operations">
                <thead>
                    <tr>
                        <th scope="col">"Operation"</th>
                        <th scope="col" class="num">"Count"</th>
                        <th scope="col" class="num">"p50 ms"</th>
                        <th scope="col" class="num">"p95 ms"</th>
                        <th scope="col" class="num">"p99 ms"</th>
                        <th scope="col" class="num">"Mean ms"</th>
                        <th scope="col">"p95, last 15 min"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let key = r.operation.clone();
                            let name = r.operation.clone();
                            view! {
                                <tr data-operation=key>
                                    <th scope="row">{name}</th>
                                    <td class="num count">{format::count(r.count as u64)}</td>
                                    <td class="num">{ms(r.p50)}</td>
                                    <td class="num">{ms(r.p95)}</td>
                                    <td class="num">{ms(r.p99)}</td>
                                    <td class="num">{ms(r.mean)}</td>
                                    <td class="trend">
                                        <Sparkline points=r.trend label=format!("p95 of {} per minute", r.operation) />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// When an alert was first and last in breach, as UTC clock times.
fn seen(first_ms: u64, last_ms: u64) -> String {
    use crate::components::chart::clock;
    if first_ms / 60_000 == last_ms / 60_000 {
        format!(" · at {} UTC", clock(first_ms))
    } else {
        format!(" · {}–{} UTC", clock(first_ms), clock(last_ms))
    }
}

fn uptime(s: u64) -> String {
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}
