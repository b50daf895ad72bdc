//! Claims on the call list: an operator working a customer holds it for a while, so that a
//! colleague on the same database does not call the same customer. A claim ends when its
//! holder releases it or when it expires (a closed laptop must not lock a customer forever).
//!
//! Times are the actor's (`Actor.at`), compared as ISO text; nothing here reads the clock.

use super::{Actor, StoreResult};
use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// How long a claim lasts unless renewed.
pub const DEFAULT_TTL_MINUTES: i64 = 30;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub customer_id: i64,
    pub who: String,
    pub host: String,
    pub claimed_at: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// Claimed now, or renewed (the same operator claiming again).
    Claimed { expires_at: String },
    /// Someone else is working this customer.
    AlreadyClaimed {
        who: String,
        host: String,
        since: String,
        until: String,
    },
}

fn stamp(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// This machine's name, to tell apart two sessions of one user on two servers.
pub fn local_host() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes into our buffer.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "localhost".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).trim().to_string();
    if name.is_empty() {
        "localhost".into()
    } else {
        name
    }
}

/// Claims `customer_id` for `actor` until `actor.at + ttl`. An expired claim by anyone is
/// replaced; the holder's own claim is renewed. Run it in its own short write transaction.
pub fn claim(
    tx: &Transaction<'_>,
    customer_id: i64,
    actor: &Actor,
    ttl: Duration,
) -> StoreResult<ClaimOutcome> {
    let now = stamp(actor.at);
    let until = stamp(actor.at + ttl);
    let host = local_host();
    tx.execute(
        "DELETE FROM claims WHERE customer_id = ?1 AND expires_at <= ?2",
        params![customer_id, now],
    )?;
    let current: Option<(String, String, String, String)> = tx
        .query_row(
            "SELECT who, host, claimed_at, expires_at FROM claims WHERE customer_id = ?1",
            [customer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    match current {
        Some((who, host_then, since, until_then)) if who != actor.who => {
            Ok(ClaimOutcome::AlreadyClaimed {
                who,
                host: host_then,
                since,
                until: until_then,
            })
        }
        Some(_) => {
            tx.execute(
                "UPDATE claims SET expires_at = ?2, host = ?3 WHERE customer_id = ?1",
                params![customer_id, until, host],
            )?;
            Ok(ClaimOutcome::Claimed { expires_at: until })
        }
        None => {
            tx.execute(
                "INSERT INTO claims (customer_id, who, host, claimed_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![customer_id, actor.who, host, now, until],
            )?;
            Ok(ClaimOutcome::Claimed { expires_at: until })
        }
    }
}

/// The operator moved to `customer`: their other claims end and this one starts (or is
/// renewed), in one transaction so that colleagues never see them on two lines.
pub fn move_to(
    tx: &Transaction<'_>,
    customer_id: i64,
    actor: &Actor,
    ttl: Duration,
) -> StoreResult<ClaimOutcome> {
    tx.execute(
        "DELETE FROM claims WHERE who = ?1 AND customer_id <> ?2",
        params![actor.who, customer_id],
    )?;
    claim(tx, customer_id, actor, ttl)
}

/// Releases the actor's own claim; another operator's claim is left alone. Returns whether a
/// claim was released.
pub fn release(tx: &Transaction<'_>, customer_id: i64, actor: &Actor) -> StoreResult<bool> {
    let n = tx.execute(
        "DELETE FROM claims WHERE customer_id = ?1 AND who = ?2",
        params![customer_id, actor.who],
    )?;
    Ok(n > 0)
}

/// Releases every claim of `actor` (when the operator leaves the cockpit).
pub fn release_all_of(tx: &Transaction<'_>, actor: &Actor) -> StoreResult<usize> {
    Ok(tx.execute("DELETE FROM claims WHERE who = ?1", [&actor.who])?)
}

/// Drops the claims expired at `now`; returns how many.
pub fn release_expired(tx: &Transaction<'_>, now: NaiveDateTime) -> StoreResult<usize> {
    Ok(tx.execute("DELETE FROM claims WHERE expires_at <= ?1", [stamp(now)])?)
}

/// The claims still running at `now`, for showing "being worked by X" beside a customer.
pub fn active(conn: &Connection, now: NaiveDateTime) -> StoreResult<Vec<Claim>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, who, host, claimed_at, expires_at FROM claims
         WHERE expires_at > ?1 ORDER BY customer_id",
    )?;
    let rows = stmt.query_map([stamp(now)], |r| {
        Ok(Claim {
            customer_id: r.get(0)?,
            who: r.get(1)?,
            host: r.get(2)?,
            claimed_at: r.get(3)?,
            expires_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Who holds `customer_id` at `now`, if anyone.
pub fn holder(
    conn: &Connection,
    customer_id: i64,
    now: NaiveDateTime,
) -> StoreResult<Option<Claim>> {
    Ok(conn
        .query_row(
            "SELECT customer_id, who, host, claimed_at, expires_at FROM claims
             WHERE customer_id = ?1 AND expires_at > ?2",
            params![customer_id, stamp(now)],
            |r| {
                Ok(Claim {
                    customer_id: r.get(0)?,
                    who: r.get(1)?,
                    host: r.get(2)?,
                    claimed_at: r.get(3)?,
                    expires_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}
