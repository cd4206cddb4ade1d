// The console's only script (the Content Security Policy allows no inline script): the WebAuthn ceremonies.
// Options come from the server as JSON and go back as PublicKeyCredential.toJSON(); webauthn4j verifies them.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken()},
    body: JSON.stringify(body || {})
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || ("HTTP " + response.status));
  return data;
}

function showError(message) {
  const el = document.getElementById("webauthn-error");
  if (el) { el.textContent = message; el.hidden = false; }
}

async function enrolWebAuthn(button) {
  try {
    const options = await postJson("/console/factors/webauthn/options");
    const credential = await navigator.credentials.create({publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)});
    const name = document.getElementById("webauthn-name");
    const done = await postJson("/console/factors/webauthn", {name: name ? name.value : "security key", credential: credential.toJSON()});
    window.location.assign(button.dataset.return && button.dataset.return !== "/console/security" ? button.dataset.return : done.redirect);
  } catch (e) {
    showError("Enrolment failed: " + e.message);
  }
}

async function stepUpWebAuthn(button) {
  try {
    const options = await postJson("/console/step-up/webauthn/options");
    const credential = await navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)});
    const done = await postJson("/console/step-up/webauthn", {credential: credential.toJSON(), "return": button.dataset.return});
    window.location.assign(done.redirect);
  } catch (e) {
    showError("Step-up failed: " + e.message);
  }
}

document.addEventListener("click", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return;
  if (target.id === "enrol-webauthn") { event.preventDefault(); enrolWebAuthn(target); }
  if (target.id === "step-up-webauthn") { event.preventDefault(); stepUpWebAuthn(target); }
});
