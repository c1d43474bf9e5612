// Placeholder until the reception-desk page lands: shows the agent status.
"use strict";
(function () {
  const token = document.querySelector('meta[name="vitale-token"]').content;
  fetch("/v1/status", { headers: { Authorization: "Bearer " + token } })
    .then((r) => r.json())
    .then((s) => {
      document.getElementById("status").textContent =
        "vitale agent " + s.version + (s.simulator ? " (simulator)" : "");
    });
})();
