/* Learning Citizen completion credit: asks the server for the learner's progress and shows it.
   The request carries nothing: the server alone decides whether the credit is due. */
function CompletionCreditBlock(runtime, element, init) {
    "use strict";
    var $element = $(element);
    var checkUrl = runtime.handlerUrl(element, "check");
    var $status = $element.find("[data-role=status]");
    var $announce = $element.find("[data-role=announce]");
    var $error = $element.find("[data-role=error]");
    var $button = $element.find("[data-role=check]");
    var lastState = $status.find("[class*='lc-credit__state--']").attr("class");
    var busy = false;
    var again = false;
    var announceNext = false;
    var timer = null;

    function check(announceAlways) {
        if (busy) {
            // One more check once this one returns; a learner's click is still answered aloud.
            again = true;
            announceNext = announceNext || announceAlways;
            return;
        }
        busy = true;
        $button.attr("aria-busy", "true");
        $.ajax({
            type: "POST",
            url: checkUrl,
            data: "{}",
            contentType: "application/json; charset=utf-8",
            dataType: "json"
        }).done(function (response) {
            $error.prop("hidden", true).text("");
            $status.html(response.html);
            var state = $status.find("[class*='lc-credit__state--']").attr("class");
            if (announceAlways || state !== lastState) {
                $announce.text(response.announcement);
            }
            lastState = state;
            $element.attr("data-state", response.state);
        }).fail(function () {
            $error.text(init.errorText).prop("hidden", false);
            $announce.text(init.errorText);
        }).always(function () {
            busy = false;
            $button.removeAttr("aria-busy");
            if (again) {
                var announce = announceNext;
                again = false;
                announceNext = false;
                check(announce);
            }
        });
    }

    $button.on("click", function () { check(true); });

    // Content on the same page (the workbench shows a whole course) announces completions;
    // check again shortly after, once for a burst of them.
    document.addEventListener("xblock:completion", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { check(false); }, 300);
    });

    if (init.checkOnLoad) {
        check(false);
    }
}
