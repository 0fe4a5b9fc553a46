// Proof of work for the anonymous report form: before the form is sent, find a
// nonce such that SHA-256("challenge:nonce") starts with the required number of
// zero bits. It costs a phone a fraction of a second and a flood a great deal.
// Without JavaScript the form still works; the server then allows fewer reports.
const form = document.getElementById("report-form");

function leadingZeroBits(bytes) {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

async function solve(challenge, bits) {
  const encoder = new TextEncoder();
  for (let nonce = 0; ; nonce += 1) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${nonce}`));
    if (leadingZeroBits(new Uint8Array(digest)) >= bits) {
      return String(nonce);
    }
  }
}

if (form && window.crypto && crypto.subtle) {
  let solved = false;
  form.addEventListener("submit", async (event) => {
    if (solved) {
      return;
    }
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    if (button) {
      button.disabled = true;
    }
    const challenge = form.elements.namedItem("pow_challenge").value;
    const bits = Number(form.dataset.powBits || "0");
    form.elements.namedItem("pow_nonce").value = await solve(challenge, bits);
    solved = true;
    form.submit();
  });
}
