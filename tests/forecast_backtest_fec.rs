//! The payment-date backtest on the real FEC sample (a juice maker's 2023 books: 68 invoices
//! fully paid through lettering, 23 customers, no due dates so the default 30 days' terms).
//! The model, with the shipped defaults, must beat both naive baselines there, and each of
//! its predictions may only use payments lettered before the invoice's issue date.

mod common;

use encours::config::Settings;
use encours::domain::forecast::backtest::{backtest, paid_invoices_from_ledger};
use encours::import::{ParseContext, parse_bytes};

#[test]
fn the_delay_model_beats_both_baselines_on_the_real_fec() {
    let Some(dir) = common::samples_dir() else {
        return;
    };
    let path = dir.join("fec/111111111FEC20221231_pipe_fixedwidth.txt");
    let bytes = std::fs::read(&path).unwrap();
    let ctx = ParseContext {
        file_name: path.display().to_string(),
        ..Default::default()
    };
    let batch = parse_bytes(&bytes, &ctx).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::defaults();
    let params = settings.forecast_params();
    let (paid, codes) = paid_invoices_from_ledger(
        &batch.customers,
        &batch.invoices,
        &batch.settlements,
        settings.general.default_terms_days,
    );
    assert_eq!(paid.len(), 68);
    assert_eq!(codes.len(), 23);
    let r = backtest(&paid, params.delays, params.history_months);
    assert_eq!(r.invoices, 68);
    assert_eq!(r.skipped, 0);
    assert!(r.beats_both, "{r:?}");
    assert!(r.model.mae_days < r.due_date.mae_days, "{r:?}");
    assert!(r.model.mae_days < r.portfolio_mean.mae_days, "{r:?}");
    // The same holds where big invoices weigh more (what matters for cash).
    assert!(
        r.model.weighted_mae_days < r.due_date.weighted_mae_days,
        "{r:?}"
    );
    assert!(
        r.model.weighted_mae_days < r.portfolio_mean.weighted_mae_days,
        "{r:?}"
    );
}
