// Agreement pages: copy buttons beside the share links (the links work without this script)
// and the print line's full address and print date.
(function () {
  "use strict";

  var MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                "oktober", "november", "december"];

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var scratch = document.createElement("textarea"); // older browsers, plain http
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.style.position = "fixed";
    scratch.style.opacity = "0";
    document.body.appendChild(scratch);
    scratch.select();
    var done = document.execCommand("copy");
    scratch.remove();
    return done ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.querySelectorAll(".deling").forEach(function (box) {
    var said = document.createElement("span");
    said.className = "kopistatus";
    said.setAttribute("role", "status");
    said.setAttribute("aria-live", "polite");
    box.querySelectorAll("a.delelink").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kopier";
      button.textContent = "Kopiér link";
      button.setAttribute("aria-label", "Kopiér link: " + link.textContent);
      button.addEventListener("click", function () {
        var address = new URL(link.getAttribute("href"), window.location.href).href;
        copyText(address).then(function () {
          said.textContent = "Kopieret: " + link.textContent;
        }, function () {
          said.textContent = "Kunne ikke kopiere. Højreklik på linket for at kopiere det.";
        });
      });
      link.after(button);
    });
    box.appendChild(said);
  });

  function printLine() {
    var address = document.querySelector(".udskriftsadresse");
    if (address) address.textContent = window.location.href.replace(/#.*$/, "");
    var date = document.querySelector(".udskriftsdato");
    if (date) {
      var today = new Date();
      date.textContent = " · Udskrevet " + today.getDate() + ". " + MONTHS[today.getMonth()] + " " + today.getFullYear();
      date.hidden = false;
    }
  }
  printLine(); // also for printers that send no beforeprint
  window.addEventListener("beforeprint", printLine);
})();
