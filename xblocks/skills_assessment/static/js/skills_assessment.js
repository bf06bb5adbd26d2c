/* Digital-skills assessment: start, answer, submit; the server renders every view and scores. */
function LearningCitizenSkillsAssessment(runtime, element, data) {
    "use strict";
    var root = (element && element.jquery) ? element[0] : element;
    var block = root.querySelector(".lc-sa") || root;
    var body = block.querySelector(".lc-sa-body");
    var status = block.querySelector(".lc-sa-status");
    var alertBox = block.querySelector(".lc-sa-alert");
    var text = (data && data.text) || {};
    var timer = null;
    var busy = false;

    function format(template, values) {
        return String(template).replace(/\{(\w+)\}/g, function (match, name) {
            return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
        });
    }

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : "";
    }

    function announce(message) {
        status.textContent = "";
        window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function showError(message) {
        alertBox.textContent = "";
        var paragraph = document.createElement("p");
        paragraph.textContent = message;
        alertBox.appendChild(paragraph);
        alertBox.hidden = false;
    }

    function clearError() {
        alertBox.hidden = true;
        alertBox.textContent = "";
    }

    function post(handler, payload) {
        return fetch(runtime.handlerUrl(root, handler), {
            method: "POST",
            credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
            body: JSON.stringify(payload || {})
        }).then(function (response) {
            return response.text().then(function (raw) {
                var parsed = {};
                try { parsed = raw ? JSON.parse(raw) : {}; } catch (ignored) { parsed = {}; }
                if (!response.ok) {
                    throw new Error(parsed.error || text.error);
                }
                return parsed;
            });
        });
    }

    function storageKey(form) { return "lc-sa:" + form.getAttribute("data-attempt"); }

    function saveDraft(form) {
        try { window.sessionStorage.setItem(storageKey(form), JSON.stringify(collect(form).answers)); } catch (ignored) { /* private mode */ }
    }

    function restoreDraft(form) {
        var saved = null;
        try { saved = JSON.parse(window.sessionStorage.getItem(storageKey(form)) || "null"); } catch (ignored) { saved = null; }
        if (!saved) { return; }
        form.querySelectorAll(".lc-sa-item").forEach(function (fieldset) {
            var answer = saved[fieldset.getAttribute("data-item")];
            if (answer === undefined) { return; }
            var kind = fieldset.getAttribute("data-kind");
            if (kind === "single-choice" || kind === "self-rating" || kind === "multiple-response") {
                var chosen = [].concat(answer);
                fieldset.querySelectorAll("input").forEach(function (input) { input.checked = chosen.indexOf(input.value) >= 0; });
            } else if (kind === "ordering") {
                fieldset.querySelectorAll("select").forEach(function (select) {
                    var place = answer.indexOf(select.getAttribute("data-option"));
                    select.value = place >= 0 ? String(place + 1) : "";
                });
            } else if (kind === "matching") {
                fieldset.querySelectorAll("select").forEach(function (select) {
                    select.value = answer[select.getAttribute("data-prompt")] || "";
                });
            }
        });
    }

    /* The answers as the server expects them, plus the numbers of unanswered and badly ordered questions. */
    function collect(form) {
        var answers = {}, missing = [], clashes = [];
        form.querySelectorAll(".lc-sa-item").forEach(function (fieldset) {
            var id = fieldset.getAttribute("data-item"), kind = fieldset.getAttribute("data-kind");
            var number = fieldset.getAttribute("data-number"), answer = null;
            if (kind === "single-choice" || kind === "self-rating") {
                var checked = fieldset.querySelector("input:checked");
                answer = checked ? checked.value : null;
            } else if (kind === "multiple-response") {
                var picked = [].map.call(fieldset.querySelectorAll("input:checked"), function (input) { return input.value; });
                answer = picked.length ? picked : null;
            } else if (kind === "ordering") {
                var selects = fieldset.querySelectorAll("select"), places = {}, complete = true, repeated = false;
                selects.forEach(function (select) {
                    if (!select.value) { complete = false; return; }
                    if (places[select.value] !== undefined) { repeated = true; }
                    places[select.value] = select.getAttribute("data-option");
                });
                if (complete && !repeated) {
                    answer = [];
                    for (var place = 1; place <= selects.length; place++) { answer.push(places[String(place)]); }
                } else if (complete) {
                    clashes.push(number);
                }
            } else if (kind === "matching") {
                var pairs = {}, full = true;
                fieldset.querySelectorAll("select").forEach(function (select) {
                    if (!select.value) { full = false; }
                    pairs[select.getAttribute("data-prompt")] = select.value;
                });
                answer = full ? pairs : null;
            }
            fieldset.classList.remove("lc-sa-missing");
            if (answer === null) {
                if (clashes.indexOf(number) < 0) { missing.push(number); }
                fieldset.classList.add("lc-sa-missing");
            } else {
                answers[id] = answer;
            }
        });
        return {answers: answers, missing: missing, clashes: clashes};
    }

    function show(html, focusSelector, message) {
        stopTimer();
        body.innerHTML = html;
        clearError();
        var target = body.querySelector(focusSelector);
        if (target) { target.focus(); }
        if (message) { announce(message); }
        wire();
    }

    function start(button) {
        if (busy) { return; }
        busy = true;
        if (button) { button.disabled = true; }
        announce(text.starting);
        post("start", {}).then(function (response) {
            show(response.html, ".lc-sa-form-heading", text.form_ready);
        }).catch(function (error) {
            showError(error.message);
            if (button) { button.disabled = false; }
        }).then(function () { busy = false; });
    }

    function submit(form, timedOut) {
        if (busy) { return; }
        var collected = collect(form);
        if (!timedOut) {
            if (collected.clashes.length) {
                showError(format(text.positions, {number: collected.clashes[0]}));
                return;
            }
            if (collected.missing.length) {
                showError(format(text.unanswered, {numbers: collected.missing.join(", ")}));
                var first = form.querySelector(".lc-sa-missing input, .lc-sa-missing select");
                if (first) { first.focus(); }
                return;
            }
        }
        busy = true;
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
        announce(timedOut ? text.time_up : text.submitting);
        var payload = {attempt_id: form.getAttribute("data-attempt"), answers: collected.answers};
        if (timedOut) { payload.timed_out = true; }
        post("submit", payload).then(function (response) {
            try { window.sessionStorage.removeItem(storageKey(form)); } catch (ignored) { /* private mode */ }
            show(response.html, ".lc-sa-results-heading", response.notice + " " + text.results_ready);
        }).catch(function (error) {
            showError(error.message);
            if (button) { button.disabled = false; }
        }).then(function () { busy = false; });
    }

    function stopTimer() {
        if (timer) { window.clearInterval(timer); timer = null; }
    }

    function startTimer(form) {
        var raw = form.getAttribute("data-seconds-left");
        var clock = form.querySelector(".lc-sa-clock");
        if (raw === "" || raw === null || !clock) { return; }
        var deadline = Date.now() + parseInt(raw, 10) * 1000;
        var warned = {};
        function tick() {
            var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
            var minutes = Math.floor(left / 60), seconds = left % 60;
            clock.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
            if (left <= 300 && !warned[5] && left > 60) { warned[5] = true; announce(format(text.minutes_left, {minutes: 5})); }
            if (left <= 60 && !warned[1] && left > 0) { warned[1] = true; announce(text.one_minute_left); clock.parentNode.classList.add("lc-sa-hurry"); }
            if (left === 0) { stopTimer(); submit(form, true); }
        }
        tick();
        timer = window.setInterval(tick, 1000);
    }

    function wire() {
        var form = body.querySelector(".lc-sa-form");
        if (form) {
            restoreDraft(form);
            form.addEventListener("change", function () { saveDraft(form); });
            form.addEventListener("submit", function (event) { event.preventDefault(); submit(form, false); });
            startTimer(form);
        }
        var expired = body.querySelector("[data-expired-attempt]");
        if (expired) {
            busy = true;
            post("submit", {attempt_id: expired.getAttribute("data-expired-attempt"), answers: {}, timed_out: true}).then(function (response) {
                busy = false;
                show(response.html, ".lc-sa-results-heading", response.notice);
            }).catch(function (error) { busy = false; showError(error.message); });
        }
    }

    block.addEventListener("click", function (event) {
        var target = event.target.closest("[data-action]");
        if (!target || !block.contains(target)) { return; }
        var action = target.getAttribute("data-action");
        if (action === "start") {
            start(target);
        } else if (action === "statistics") {
            target.disabled = true;
            post("item_statistics", {}).then(function (response) {
                block.querySelector(".lc-sa-statistics").innerHTML = response.html;
            }).catch(function (error) { showError(error.message); }).then(function () { target.disabled = false; });
        }
    });

    wire();
}
