/* Learning Citizen standing: asks the server for another period or (staff) another learner. */
/* global $ */
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
    // jQuery's ajax carries the CSRF token the LMS (and the workbench) set up for XBlock handlers.
    $.ajax({type: "POST", url: url, data: JSON.stringify(request), contentType: "application/json", dataType: "json"})
      .done(function (body) {
        if (body && typeof body.html === "string") {
          panelHolder.innerHTML = body.html;
          say(texts.loaded);
          var heading = panelHolder.querySelector("h3");
          if (heading) { heading.focus(); }
        } else {
          say(texts.failed);
        }
      })
      .fail(function (xhr) {
        var body = xhr.responseJSON;
        say((body && body.error) || texts.failed);
      });
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
