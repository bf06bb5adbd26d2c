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

    function checkSoon() {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { check(false); }, 300);
    }

    $button.on("click", function () { check(true); });

    // In the LMS each unit is its own page (an iframe in the learning MFE): content completed in
    // another unit or another tab never signals this one. So the block asks the server again
    // whenever its page is shown again: the tab or window comes back into view, or the browser
    // restores the page from its back/forward cache. A unit opened afresh checks on load.
    document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "visible") {
            checkSoon();
        }
    });
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            checkSoon();
        }
    });

    // The workbench shows a whole course on one page and announces each completion with this
    // event; only a convenience there (the LMS sends no such event, and nothing depends on it).
    document.addEventListener("xblock:completion", checkSoon);

    if (init.checkOnLoad) {
        check(false);
    }
}
