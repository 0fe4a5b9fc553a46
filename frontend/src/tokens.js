// Breakroom's anonymous tokens in the browser (docs/tokens.md).
//
// The phone makes the tokens itself: it draws random messages, blinds them under a
// key published for everyone, has the blinded messages signed while signed in,
// unblinds (finalizes) the signatures and keeps the tokens in localStorage. Later a
// token is spent without the session cookie, so the server cannot link the two.
//
// Everything a person reads comes from the data-* attributes of #tokens (translated
// by the server): this file holds no user-facing text.
//
// For other pages and tests: window.breakroomTokens = { take, held, spend }.

import { RSABSSA } from "@cloudflare/blindrsa-ts";

const VARIANT = "RSABSSA-SHA384-PSS-Randomized";
const MESSAGE_BYTES = 32;
// The server signs at most this many blinded messages per request (the largest
// per-period limit); larger needs are taken in several requests.
const MAX_BATCH = 5;
const STORAGE_PREFIX = "breakroom:tokens:";
const DAY_MS = 86_400_000;
// Days after a period's last day during which its tokens may still be spent.
const GRACE_DAYS = { day: 1, week: 2 };
const DAY_PERIOD = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_PERIOD = /^(\d{4})-W(\d{2})$/;

const suite = RSABSSA.SHA384.PSS.Randomized();

/** A refusal or failure; `detail` is the server's translated message, if any. */
class TokenError extends Error {
  constructor(code, { status = 0, detail = "" } = {}) {
    super(detail || code);
    this.name = "TokenError";
    this.code = code;
    this.status = status;
    this.detail = detail;
  }
}

// --- Bytes --------------------------------------------------------------------

function toBase64(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) {
    throw new TokenError("malformed");
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// --- Periods --------------------------------------------------------------------

/** Today in Europe/London, as days since 1970-01-01. */
function londonToday() {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date());
  const part = (type) => Number(parts.find((item) => item.type === type).value);
  return Date.UTC(part("year"), part("month") - 1, part("day")) / DAY_MS;
}

/** The last day on which a token of `period` may be spent (days since 1970), or null. */
function lastSpendableDay(period) {
  const day = DAY_PERIOD.exec(period);
  if (day) {
    return Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) / DAY_MS + GRACE_DAYS.day;
  }
  const week = WEEK_PERIOD.exec(period);
  if (week) {
    // ISO week 1 is the week holding 4 January; weeks start on Monday.
    const january4 = Date.UTC(Number(week[1]), 0, 4) / DAY_MS;
    const weekday = (new Date(january4 * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
    const monday = january4 - weekday + (Number(week[2]) - 1) * 7;
    return monday + 6 + GRACE_DAYS.week;
  }
  return null;
}

function isOver(period, today) {
  const last = lastSpendableDay(period);
  return last !== null && today > last;
}

// --- Storage --------------------------------------------------------------------

const TOKEN_FIELDS = ["key_id", "purpose", "period", "message", "signature"];

function storageKey(site) {
  return STORAGE_PREFIX + site;
}

/** The site's stored tokens; those whose period (and grace) is over are dropped. */
function readTokens(site) {
  let stored = [];
  try {
    stored = JSON.parse(localStorage.getItem(storageKey(site)) || "[]");
  } catch {
    stored = [];
  }
  if (!Array.isArray(stored)) stored = [];
  const today = londonToday();
  const tokens = stored.filter(
    (token) =>
      token !== null &&
      typeof token === "object" &&
      TOKEN_FIELDS.every((field) => typeof token[field] === "string") &&
      !isOver(token.period, today),
  );
  if (tokens.length !== stored.length) writeTokens(site, tokens);
  return tokens;
}

function writeTokens(site, tokens) {
  const kept = tokens.map((token) => Object.fromEntries(TOKEN_FIELDS.map((f) => [f, token[f]])));
  localStorage.setItem(storageKey(site), JSON.stringify(kept));
}

function addTokens(site, tokens) {
  writeTokens(site, [...readTokens(site), ...tokens]);
}

function removeToken(site, spent) {
  writeTokens(
    site,
    readTokens(site).filter(
      (token) => !(token.key_id === spent.key_id && token.message === spent.message),
    ),
  );
}

// --- The page ---------------------------------------------------------------------

function readConfig() {
  const root = document.getElementById("tokens");
  if (!root || !root.dataset.site) return null;
  const data = root.dataset;
  return {
    root,
    site: data.site,
    keysUrl: data.keysUrl,
    issueUrl: data.issueUrl,
    spendUrl: data.spendUrl,
    messages: {
      working: data.messageWorking || "",
      held: data.messageHeld || "",
      none: data.messageNone || "",
      failed: data.messageFailed || "",
      refusedKey: data.messageRefusedKey || "",
    },
  };
}

let config = null;

function requireConfig() {
  if (!config) throw new TokenError("unavailable");
  return config;
}

function setStatus(text) {
  const status = config && document.getElementById("tokens-status");
  if (status) status.textContent = text;
}

function countsByPurpose(tokens) {
  const counts = {};
  for (const token of tokens) counts[token.purpose] = (counts[token.purpose] || 0) + 1;
  return counts;
}

/** Fill the [data-held] cells; return "label n, label n" for the status line. */
function renderCounts() {
  if (!config) return "";
  const counts = countsByPurpose(readTokens(config.site));
  const summary = [];
  for (const cell of config.root.querySelectorAll("[data-held]")) {
    const count = counts[cell.dataset.held] || 0;
    cell.textContent = String(count);
    const label = cell.closest("tr")?.cells[0]?.textContent.trim();
    if (label) summary.push(`${label} ${count}`);
  }
  return summary.join(", ");
}

function showHeld() {
  if (!config) return;
  const summary = renderCounts();
  const total = readTokens(config.site).length;
  setStatus(total ? `${config.messages.held} ${summary}` : config.messages.none);
}

function showFailure(error) {
  if (!config) return;
  if (error instanceof TokenError && error.code === "refused_key") {
    setStatus(config.messages.refusedKey);
  } else {
    const detail = error instanceof TokenError ? error.detail : "";
    setStatus(detail ? `${config.messages.failed} ${detail}` : config.messages.failed);
  }
}

// --- Talking to the server ------------------------------------------------------

async function postJson(url, body, { credentials, referrerPolicy }) {
  const response = await fetch(url, {
    method: "POST",
    credentials,
    referrerPolicy,
    cache: "no-store",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  let answer = null;
  try {
    answer = await response.json();
  } catch {
    answer = null;
  }
  return {
    status: response.status,
    answer: answer !== null && typeof answer === "object" ? answer : {},
  };
}

function refusal(status, answer) {
  const detail = typeof answer.message === "string" ? answer.message : "";
  return new TokenError(typeof answer.error === "string" ? answer.error : "http", {
    status,
    detail,
  });
}

/**
 * The published keys, fetched without the session cookie. The whole list is refused
 * if a key id is not the SHA-256 of its key, or if a purpose and period has two keys:
 * a server could otherwise tag one worker with a key of their own.
 */
async function publishedKeys() {
  const { site, keysUrl } = requireConfig();
  const response = await fetch(keysUrl, { credentials: "omit", referrerPolicy: "no-referrer" });
  if (!response.ok) throw new TokenError("keys_unavailable", { status: response.status });
  const list = await response.json();
  if (!list || list.site !== site || !Array.isArray(list.keys)) {
    throw new TokenError("refused_key");
  }
  const keys = [];
  const slots = new Set();
  for (const entry of list.keys) {
    if (
      !entry ||
      typeof entry.key_id !== "string" ||
      typeof entry.purpose !== "string" ||
      typeof entry.period !== "string"
    ) {
      throw new TokenError("refused_key");
    }
    let der;
    try {
      der = fromBase64(entry.public_key);
    } catch {
      throw new TokenError("refused_key");
    }
    if ((await sha256Hex(der)) !== entry.key_id) throw new TokenError("refused_key");
    const slot = JSON.stringify([entry.purpose, entry.period]);
    if (slots.has(slot)) throw new TokenError("refused_key");
    slots.add(slot);
    if (entry.variant !== VARIANT) throw new TokenError("variant");
    const publicKey = await crypto.subtle.importKey(
      "spki",
      der,
      { name: "RSA-PSS", hash: "SHA-384" },
      true,
      ["verify"],
    );
    keys.push({ keyId: entry.key_id, purpose: entry.purpose, period: entry.period, publicKey });
  }
  return keys;
}

async function blindOne(publicKey) {
  const message = crypto.getRandomValues(new Uint8Array(MESSAGE_BYTES));
  const prepared = suite.prepare(message);
  const { blindedMsg, inv } = await suite.blind(publicKey, prepared);
  return { prepared, blinded: blindedMsg, inverse: inv };
}

/**
 * Take every token this member may still take under `key`. The first request asks
 * for one token; its answer says how many remain, so no limit is written here.
 */
async function takeForKey(key) {
  const { site, issueUrl } = requireConfig();
  let wanted = 1;
  let lastRemaining = Infinity;
  while (wanted > 0) {
    const blindings = [];
    for (let i = 0; i < wanted; i += 1) blindings.push(await blindOne(key.publicKey));
    const { status, answer } = await postJson(
      issueUrl,
      { key_id: key.keyId, blinded_messages: blindings.map((item) => toBase64(item.blinded)) },
      { credentials: "same-origin", referrerPolicy: "same-origin" },
    );
    // The period is done (409 `limit`), or its window moved on since the list was
    // fetched (410 `closed`, e.g. a cached list just after midnight): skip the key.
    if (status === 409 && answer.error === "limit") return;
    if (status === 410 && answer.error === "closed") return;
    if (status !== 200) throw refusal(status, answer);
    const signatures = answer.blind_signatures;
    if (
      answer.key_id !== key.keyId ||
      !Array.isArray(signatures) ||
      signatures.length !== blindings.length
    ) {
      throw new TokenError("malformed", { status });
    }
    const tokens = [];
    for (const [index, blinding] of blindings.entries()) {
      // finalize verifies the unblinded signature under the published key.
      const signature = await suite.finalize(
        key.publicKey,
        blinding.prepared,
        fromBase64(signatures[index]),
        blinding.inverse,
      );
      tokens.push({
        key_id: key.keyId,
        purpose: key.purpose,
        period: key.period,
        message: toBase64(blinding.prepared),
        signature: toBase64(signature),
      });
    }
    addTokens(site, tokens);
    const remaining = answer.remaining;
    if (!Number.isInteger(remaining) || remaining < 0 || remaining >= lastRemaining) {
      throw new TokenError("malformed", { status });
    }
    lastRemaining = remaining;
    wanted = Math.min(remaining, MAX_BATCH);
  }
}

// --- The public interface ---------------------------------------------------------

let taking = null;

/** Take the tokens this phone still lacks for every published period; resolve to the counts. */
function take() {
  if (taking) return taking;
  const button = document.getElementById("take-tokens");
  taking = (async () => {
    const { site, messages } = requireConfig();
    if (button) button.disabled = true;
    setStatus(messages.working);
    try {
      for (const key of await publishedKeys()) await takeForKey(key);
      showHeld();
      return countsByPurpose(readTokens(site));
    } catch (error) {
      renderCounts();
      showFailure(error);
      throw error;
    } finally {
      if (button) button.disabled = false;
      taking = null;
    }
  })();
  return taking;
}

/** How many unused tokens this phone holds: of `purpose`, or of every purpose. */
function held(purpose) {
  const tokens = readTokens(requireConfig().site);
  return purpose === undefined
    ? tokens.length
    : tokens.filter((token) => token.purpose === purpose).length;
}

const spending = new Set();

/**
 * Spend one token of `purpose` and `period`, without the session cookie. The token
 * leaves storage only once the server has recorded it (201), or if the server says
 * it was spent before (409 `spent`, then reported by rejecting). Resolves to the
 * server's answer; rejects with a TokenError otherwise.
 *
 * `url` and `extra` let a feature spend the token together with what it pays for
 * (the daily check-in sends `{token, answers}` to its own address): the body is then
 * `{...extra, token: {key_id, message, signature}}`.
 */
async function spend(purpose, period, { url = null, extra = null } = {}) {
  const { site, spendUrl } = requireConfig();
  const token = readTokens(site).find(
    (item) => item.purpose === purpose && item.period === period && !spending.has(item.message),
  );
  if (!token) throw new TokenError("none");
  spending.add(token.message);
  const proof = { key_id: token.key_id, message: token.message, signature: token.signature };
  try {
    const { status, answer } = await postJson(
      url || spendUrl,
      extra ? { ...extra, token: proof } : proof,
      { credentials: "omit", referrerPolicy: "no-referrer" },
    );
    if (status === 201) {
      removeToken(site, token);
      showHeld();
      return answer;
    }
    const error = refusal(status, answer);
    if (status === 409 && answer.error === "spent") {
      removeToken(site, token);
      renderCounts();
      if (error.detail) setStatus(error.detail);
    }
    throw error;
  } finally {
    spending.delete(token.message);
  }
}

/** How many unspent tokens of `purpose` for exactly `period` this phone holds. */
function heldFor(purpose, period) {
  const site = config ? config.site : null;
  if (!site) return 0;
  return readTokens(site).filter((token) => token.purpose === purpose && token.period === period)
    .length;
}

function start() {
  config = readConfig();
  window.breakroomTokens = Object.freeze({ take, held, heldFor, spend });
  if (!config) return;
  showHeld();
  // Another tab of this site took or spent tokens: show the new counts.
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key === storageKey(config.site)) showHeld();
  });
  const button = document.getElementById("take-tokens");
  if (button) {
    button.addEventListener("click", () => {
      take().catch((error) => console.error(error));
    });
    button.disabled = false;
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
