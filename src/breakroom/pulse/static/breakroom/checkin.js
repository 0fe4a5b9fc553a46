// Today's check-in: the answers leave the phone with one of its anonymous `pulse`
// tokens for today and without the session cookie (tokens.js does the sending), so
// they count once and cannot be traced to the person. All text comes from the
// page's data-* attributes (translated by the server).
const form = document.getElementById("checkin");

function say(text) {
  const status = document.getElementById("checkin-status");
  if (status) status.textContent = text;
}

function collect() {
  const answers = {};
  for (const input of form.querySelectorAll("input[type=radio]:checked")) {
    answers[input.name.slice(1)] = Number(input.value);
  }
  const department = form.elements.namedItem("department")?.value;
  const shift = form.elements.namedItem("shift")?.value;
  return {
    answers,
    department: department ? Number(department) : null,
    shift: shift ? Number(shift) : null,
  };
}

async function send(event) {
  event.preventDefault();
  const tokens = window.breakroomTokens;
  const messages = form.dataset;
  const body = collect();
  if (Object.keys(body.answers).length === 0) {
    say(messages.messageIncomplete);
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  say(messages.messageSending);
  const today = form.dataset.today;
  const hasToday = () => tokens.heldFor("pulse", today) > 0;
  try {
    // Tokens are taken for the week ahead, so most days the phone already holds one.
    if (!hasToday()) await tokens.take();
    if (!hasToday()) {
      say(messages.messageAlready);
      return;
    }
    await tokens.spend("pulse", today, { url: form.dataset.checkinUrl, extra: body });
    form.reset();
    for (const fieldset of form.querySelectorAll("fieldset")) fieldset.disabled = true;
    say(messages.messageDone);
  } catch (error) {
    const detail = error && (error.detail || error.message) ? `${error.detail || error.message}` : "";
    say(`${messages.messageFailed} ${detail}`.trim());
    button.disabled = false;
  }
}

if (form && window.crypto && crypto.subtle) {
  form.addEventListener("submit", (event) => {
    send(event).catch(() => undefined);
  });
}
