/* Learning Citizen standing: asks the server for another period or (staff) another learner. */
function LearningCitizenStandingBlock(runtime, element, texts) {
  "use strict";
  var root = element.querySelector ? element : element[0];
  var url = runtime.handlerUrl(root, "standing");
  var panelHolder = root.querySelector('[data-role="panel"]');
  var status = root.querySelector('[data-role="status"]');
  var lookup = root.querySelector('[data-role="lookup-form"]');

  function currentLearner() {
    var panel = panelHolder && panelHolder.querySelector("[data-learner]");
    return panel ? panel.getAttribute("data-learner") : "";
  }

  function say(text) { if (status) { status.textContent = text; } }

  function load(request) {
    say(texts.loading);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (error) { body = null; }
      if (xhr.status === 200 && body && typeof body.html === "string") {
        panelHolder.innerHTML = body.html;
        say(texts.loaded);
        var heading = panelHolder.querySelector("h3");
        if (heading) { heading.focus(); }
      } else {
        say((body && body.error) || texts.failed);
      }
    };
    xhr.onerror = function () { say(texts.failed); };
    xhr.send(JSON.stringify(request));
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.getAttribute("data-role") === "period-form") {
      event.preventDefault();
      load({period: form.elements.period.value, learner: currentLearner()});
    } else if (form.getAttribute("data-role") === "lookup-form") {
      event.preventDefault();
      load({learner: form.elements.learner.value});
    }
  });
  if (lookup) {
    lookup.querySelector('[data-role="mine"]').addEventListener("click", function () {
      lookup.elements.learner.value = "";
      load({});
    });
  }
}
