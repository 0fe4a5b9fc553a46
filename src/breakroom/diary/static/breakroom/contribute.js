// Adding a week's diary summary to the site's figures: the summary leaves the phone
// with that week's anonymous `diary` token and without the session cookie (tokens.js
// sends it), so it counts once and cannot be traced. Text comes from data-* attributes.
function isoWeek(mondayText) {
  const monday = new Date(`${mondayText}T12:00:00Z`);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((thursday - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

async function contribute(button) {
  const tokens = window.breakroomTokens;
  const summary = JSON.parse(button.dataset.summary);
  const period = isoWeek(summary.week);
  const status = button.nextElementSibling;
  button.disabled = true;
  try {
    if (tokens.heldFor("diary", period) === 0) await tokens.take();
    await tokens.spend("diary", period, { url: button.dataset.url, extra: summary });
    status.textContent = button.dataset.messageDone;
  } catch (error) {
    const detail = error && (error.detail || error.message) ? error.detail || error.message : "";
    status.textContent = `${button.dataset.messageFailed} ${detail}`.trim();
    button.disabled = false;
  }
}

function start() {
  if (!window.breakroomTokens || !window.crypto || !crypto.subtle) return;
  for (const button of document.querySelectorAll("button.contribute")) {
    button.addEventListener("click", () => {
      contribute(button).catch(() => undefined);
    });
    button.disabled = false;
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
