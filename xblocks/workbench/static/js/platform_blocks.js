/* Workbench stand-ins for the platform's html and problem blocks (see platform_blocks.py). */
function announceCompletion(element) {
    "use strict";
    document.dispatchEvent(new CustomEvent("xblock:completion", {detail: {usageId: $(element).data("usage-id")}}));
}

/* Like the LMS: html counts as complete once it has been on screen for `delay` milliseconds. */
function WorkbenchHtmlBlock(runtime, element, init) {
    "use strict";
    if (init.complete) {
        return;
    }
    var url = runtime.handlerUrl(element, "publish_completion");
    var timer = null;
    var sent = false;
    var observer = null;

    function send() {
        if (sent) {
            return;
        }
        sent = true;
        if (observer) {
            observer.disconnect();
        }
        $.ajax({type: "POST", url: url, data: JSON.stringify({completion: 1.0}),
                contentType: "application/json; charset=utf-8", dataType: "json"})
            .done(function () { announceCompletion(element); })
            .fail(function () { sent = false; });
    }

    function seen(entry) {
        var viewport = window.innerHeight || document.documentElement.clientHeight;
        return entry.isIntersecting &&
            (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= viewport / 2);
    }

    if (!("IntersectionObserver" in window)) {
        timer = window.setTimeout(send, init.delay);
        return;
    }
    observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
            if (seen(entry)) {
                if (timer === null) {
                    timer = window.setTimeout(send, init.delay);
                }
            } else if (timer !== null) {
                window.clearTimeout(timer);
                timer = null;
            }
        });
    }, {threshold: [0, 0.25, 0.5, 0.75, 1]});
    observer.observe(element);
}

/* A problem is graded on the server; the page only sends the chosen answers. */
function WorkbenchProblemBlock(runtime, element, init) {
    "use strict";
    var url = runtime.handlerUrl(element, "submit");
    var $body = $(element).find("[data-role=body]");

    $body.on("submit", "form", function (event) {
        event.preventDefault();
        var $form = $(this);
        var answers = {};
        var questions = {};
        $form.find("input[data-question]").each(function () {
            var question = String($(this).data("question"));
            questions[question] = true;
            if (this.type === "checkbox") {
                answers[question] = answers[question] || [];
                if (this.checked) {
                    answers[question].push(this.value);
                }
            } else if (this.checked) {
                answers[question] = this.value;
            }
        });
        var missing = Object.keys(questions).some(function (question) {
            var answer = answers[question];
            return answer === undefined || (Array.isArray(answer) && answer.length === 0);
        });
        if (missing) {
            $form.find(".lc-wb-status").text(init.incomplete);
            return;
        }
        $.ajax({type: "POST", url: url, data: JSON.stringify({answers: answers}),
                contentType: "application/json; charset=utf-8", dataType: "json"})
            .done(function (response) {
                $body.html(response.html);
                announceCompletion(element);
            })
            .fail(function (xhr) {
                var message = (xhr.responseJSON && xhr.responseJSON.error) || xhr.statusText;
                $form.find(".lc-wb-status").text(message);
            });
    });
}
