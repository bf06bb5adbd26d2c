/* Evidence declaration and review (xblocks/evidence). Everything a person typed is put on the page
 * with textContent or as an attribute value, never parsed as HTML. Messages come translated from
 * the server (config.strings and each reply). */
function LearningCitizenEvidence(runtime, element, config) {
    'use strict';
    if (element && element.jquery) { element = element[0]; }
    var root = element.querySelector('.lc-evidence');
    var prefix = config.prefix;
    var S = config.strings;
    var form = root.querySelector('.lc-ev-form');
    var statusBox = root.querySelector('.lc-ev-status');
    var indicatorTitles = {};
    config.indicators.forEach(function (item) { indicatorTitles[item.code] = item.title; });

    function fmt(template, values) {
        return template.replace(/\{(\w+)\}/g, function (match, key) {
            return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
        });
    }

    function el(tag, attrs, children) {
        var node = document.createElement(tag);
        Object.keys(attrs || {}).forEach(function (key) {
            if (key === 'text') { node.textContent = attrs[key]; }
            else if (key === 'className') { node.className = attrs[key]; }
            else { node.setAttribute(key, attrs[key]); }
        });
        (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
        return node;
    }

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }

    function call(handler, body) {
        var isForm = body instanceof FormData;
        var headers = {'X-CSRFToken': csrfToken(), 'Accept': 'application/json'};
        if (!isForm) { headers['Content-Type'] = 'application/json'; }
        return fetch(runtime.handlerUrl(element, handler), {
            method: 'POST', credentials: 'same-origin', headers: headers,
            body: isForm ? body : JSON.stringify(body || {})
        }).then(function (response) {
            if (response.status === 413) {  // the platform or the proxy refused the request's size
                return {ok: false, status: 413, data: {message: S.requestTooLarge, problems: [{field: 'files', message: S.requestTooLarge}]}};
            }
            return response.json().catch(function () { return {message: S.networkError, problems: []}; })
                .then(function (data) { return {ok: response.ok, status: response.status, data: data}; });
        }, function () {
            return {ok: false, status: 0, data: {message: S.networkError, problems: []}};
        });
    }

    function announce(message) {
        statusBox.textContent = message;
        statusBox.focus();
    }

    /* ---- error summaries tied to fields ---- */

    function fieldId(scope, field) {
        return scope === form ? prefix + '-' + field : scope.getAttribute('data-id-prefix') + '-' + field;
    }

    function clearErrors(scope) {
        var summary = scope.querySelector('.lc-ev-errors');
        summary.hidden = true;
        summary.querySelector('ul').textContent = '';
        scope.querySelectorAll('.lc-ev-error').forEach(function (node) { node.hidden = true; node.textContent = ''; });
        scope.querySelectorAll('[aria-invalid]').forEach(function (node) { node.removeAttribute('aria-invalid'); });
    }

    function showErrors(scope, data) {
        var summary = scope.querySelector('.lc-ev-errors');
        var list = summary.querySelector('ul');
        summary.querySelector('h4, h5').textContent = S.errorSummary;
        var problems = (data.problems && data.problems.length) ? data.problems : [{field: '', message: data.message || S.networkError}];
        problems.forEach(function (problem) {
            var target = problem.field ? document.getElementById(fieldId(scope, problem.field)) : null;
            if (!target && problem.field && problem.field.indexOf('points') === 0) {
                target = scope.querySelector('input[data-points]');
            }
            var label = config.fieldLabels[problem.field] || '';
            var text = label ? label + ': ' + problem.message : problem.message;
            var item = el('li');
            if (target) {
                var link = el('a', {href: '#' + target.id, text: text});
                link.addEventListener('click', function (event) { event.preventDefault(); target.focus(); });
                item.appendChild(link);
                target.setAttribute('aria-invalid', 'true');
                var own = document.getElementById(target.id + '-error');
                if (own) { own.hidden = false; own.textContent = (own.textContent ? own.textContent + ' ' : '') + problem.message; }
            } else {
                item.textContent = text;
            }
            list.appendChild(item);
        });
        summary.hidden = false;
        summary.focus();
    }

    /* ---- shared pieces ---- */

    function detailRow(label, value) {
        return [el('dt', {text: label}), el('dd', {text: value})];
    }

    function safeLink(url) {
        if (/^https?:\/\//i.test(url)) {
            return el('a', {href: url, text: url, rel: 'noopener noreferrer nofollow', target: '_blank'});
        }
        return el('span', {text: url});
    }

    function details(item) {
        var dl = el('dl', {className: 'lc-ev-details'});
        detailRow(S.kind, item.kindLabel).concat(detailRow(S.date, item.activityDate))
            .concat(detailRow(config.fieldLabels.hours, fmt(S.hoursValue, {hours: item.hours})))
            .forEach(function (node) { dl.appendChild(node); });
        dl.appendChild(el('dt', {text: config.fieldLabels.indicators}));
        var indicators = el('dd');
        var ul = el('ul', {className: 'lc-ev-plain'});
        item.indicators.forEach(function (code) {
            ul.appendChild(el('li', {text: code + '. ' + (indicatorTitles[code] || '')}));
        });
        indicators.appendChild(ul);
        dl.appendChild(indicators);
        dl.appendChild(el('dt', {text: S.description}));
        dl.appendChild(el('dd', {className: 'lc-ev-text', text: item.description}));
        if (item.files.length) {
            dl.appendChild(el('dt', {text: S.files}));
            var files = el('ul', {className: 'lc-ev-plain'});
            item.files.forEach(function (file) {
                files.appendChild(el('li', {}, [el('a', {href: file.url, text: file.name, target: '_blank', rel: 'noopener noreferrer'}),
                    el('span', {className: 'lc-ev-meta', text: ' (' + fmt(S.sizeKB, {size: Math.max(1, Math.round(file.size / 1024))}) + ')'})]));
            });
            dl.appendChild(el('dd', {}, [files]));
        }
        if (item.links.length) {
            dl.appendChild(el('dt', {text: S.links}));
            var links = el('ul', {className: 'lc-ev-plain'});
            item.links.forEach(function (url) { links.appendChild(el('li', {}, [safeLink(url)])); });
            dl.appendChild(el('dd', {}, [links]));
        }
        if (item.reason) {
            dl.appendChild(el('dt', {text: S.reviewerSays}));
            dl.appendChild(el('dd', {className: 'lc-ev-text', text: item.reason}));
        }
        var awarded = Object.keys(item.awarded || {});
        if (awarded.length) {
            dl.appendChild(el('dt', {text: S.awarded}));
            dl.appendChild(el('dd', {text: awarded.map(function (code) { return fmt(S.indicator, {code: code}) + ': ' + item.awarded[code]; }).join('; ')}));
        }
        return dl;
    }

    function history(item) {
        var box = el('details', {className: 'lc-ev-history'}, [el('summary', {text: S.history})]);
        var list = el('ol', {className: 'lc-ev-plain'});
        item.history.forEach(function (event) {
            list.appendChild(el('li', {text: event.at + ' · ' + event.label + (event.reason ? ': ' + event.reason : '')}));
        });
        box.appendChild(list);
        return box;
    }

    function badge(item) {
        return el('p', {className: 'lc-ev-badge lc-ev-badge-' + item.status, text: S.status + ': ' + item.statusLabel});
    }

    /* ---- learner: declare, edit, withdraw ---- */

    var mineList = root.querySelector('.lc-ev-mine-list');
    var editing = null;

    function loadMine() {
        if (!mineList) { return Promise.resolve(); }
        return call('state', {}).then(function (result) {
            if (!result.ok) { announce(result.data.message || S.networkError); return; }
            mineList.textContent = '';
            if (!result.data.declarations.length) { mineList.appendChild(el('li', {className: 'lc-ev-empty', text: S.none})); }
            result.data.declarations.forEach(function (item) { mineList.appendChild(mineItem(item)); });
        });
    }

    function mineItem(item) {
        var li = el('li', {className: 'lc-ev-item', 'data-declaration': item.id});
        li.appendChild(el('h4', {text: item.title}));
        li.appendChild(badge(item));
        li.appendChild(details(item));
        li.appendChild(history(item));
        var actions = el('div', {className: 'lc-ev-actions'});
        if (item.editable) {
            var edit = el('button', {type: 'button', className: 'lc-ev-edit', text: S.edit});
            edit.setAttribute('aria-label', S.edit + ': ' + item.title);
            edit.addEventListener('click', function () { startEdit(item); });
            actions.appendChild(edit);
        }
        if (item.withdrawable) {
            var withdraw = el('button', {type: 'button', className: 'lc-ev-withdraw', text: S.withdraw});
            withdraw.setAttribute('aria-label', S.withdraw + ': ' + item.title);
            withdraw.addEventListener('click', function () {
                if (!window.confirm(S.confirmWithdraw)) { return; }
                call('withdraw', {declaration: item.id}).then(function (result) {
                    if (!result.ok) { announce(result.data.message || S.networkError); return; }
                    loadMine().then(function () { announce(S.withdrawn); });
                });
            });
            actions.appendChild(withdraw);
        }
        li.appendChild(actions);
        return li;
    }

    function startEdit(item) {
        editing = item;
        clearErrors(form);
        form.reset();
        form.elements.declaration.value = item.id;
        form.querySelectorAll('input[name=indicators]').forEach(function (box) { box.checked = item.indicators.indexOf(box.value) >= 0; });
        form.elements.kind.value = item.kind;
        form.elements.title.value = item.title;
        form.elements.activity_date.value = item.activityDate;
        form.elements.hours.value = item.hours;
        form.elements.description.value = item.description;
        form.elements.links.value = item.links.join('\n');
        var kept = form.querySelector('.lc-ev-kept');
        kept.textContent = '';
        if (item.files.length) {
            kept.appendChild(el('p', {className: 'lc-ev-hint', text: S.filesNote}));
            item.files.forEach(function (file) {
                var id = prefix + '-keep-' + file.id;
                kept.appendChild(el('div', {className: 'lc-ev-check'}, [
                    el('input', {type: 'checkbox', id: id, 'data-file': file.id, checked: 'checked'}),
                    el('label', {'for': id, text: fmt(S.keepFile, {name: file.name})})
                ]));
            });
        }
        kept.hidden = !item.files.length;
        form.querySelector('.lc-ev-submit').textContent = S.saveChanges;
        form.querySelector('.lc-ev-cancel').hidden = false;
        var heading = root.querySelector('#' + CSS.escape(prefix + '-declare-heading'));
        heading.textContent = fmt(S.editing, {title: item.title});
        heading.focus();
    }

    function stopEdit() {
        editing = null;
        form.reset();
        form.elements.declaration.value = '';
        var kept = form.querySelector('.lc-ev-kept');
        kept.textContent = '';
        kept.hidden = true;
        form.querySelector('.lc-ev-submit').textContent = S.submit;
        form.querySelector('.lc-ev-cancel').hidden = true;
        root.querySelector('#' + CSS.escape(prefix + '-declare-heading')).textContent = S.declareHeading;
    }

    /* Files over the site's limits are named before anything is sent: the platform or its proxy would
     * refuse the whole request with a message that is not about this form. */
    function sizeProblems() {
        var input = form.querySelector('input[type=file][name=files]');
        var chosen = input && input.files ? Array.prototype.slice.call(input.files) : [];
        var problems = [];
        var total = 0;
        chosen.forEach(function (file) {
            if (file.size > config.maxFileBytes) {
                problems.push({field: 'files', message: fmt(S.fileTooLarge, {name: file.name, size: config.maxFileSize})});
            } else {
                total += file.size;
            }
        });
        if (total > config.maxTotalBytes) {
            problems.push({field: 'files', message: fmt(S.filesTooLarge, {size: config.maxTotalSize})});
        }
        return problems;
    }

    if (form) {
        form.querySelector('.lc-ev-cancel').addEventListener('click', function () {
            stopEdit();
            form.elements.title.focus();
        });
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            clearErrors(form);
            var tooLarge = sizeProblems();
            if (tooLarge.length) { showErrors(form, {problems: tooLarge}); return; }
            var data = new FormData(form);
            form.querySelectorAll('.lc-ev-kept input[data-file]').forEach(function (box) {
                if (!box.checked) { data.append('remove_files', box.getAttribute('data-file')); }
            });
            var wasEditing = !!editing;
            var submit = form.querySelector('.lc-ev-submit');
            submit.disabled = true;
            call(wasEditing ? 'update' : 'declare', data).then(function (result) {
                submit.disabled = false;
                if (!result.ok) { showErrors(form, result.data); return; }
                stopEdit();
                loadMine().then(function () { announce(wasEditing ? S.updated : S.saved); });
            });
        });
    }

    /* ---- reviewer: queue and decisions ---- */

    var queueList = root.querySelector('.lc-ev-queue-list');
    var filters = root.querySelector('.lc-ev-filters');

    function loadQueue() {
        if (!queueList) { return Promise.resolve(); }
        var query = {};
        new FormData(filters).forEach(function (value, key) { query[key] = value; });
        clearErrors(filters);
        return call('queue', query).then(function (result) {
            if (!result.ok) {
                if (result.status === 400) { showErrors(filters, result.data); } else { announce(result.data.message || S.networkError); }
                return;
            }
            queueList.textContent = '';
            var items = result.data.declarations;
            root.querySelector('.lc-ev-queue-count').textContent = result.data.count;
            if (!items.length) { queueList.appendChild(el('li', {className: 'lc-ev-empty', text: S.queueEmpty})); }
            items.forEach(function (item) { queueList.appendChild(queueItem(item)); });
        });
    }

    function queueItem(item) {
        var li = el('li', {className: 'lc-ev-item', 'data-declaration': item.id});
        li.appendChild(el('h4', {text: item.title}));
        li.appendChild(el('p', {className: 'lc-ev-learner', text: S.learner + ': ' + (item.learner.name || S.unnamedLearner)}));
        li.appendChild(el('p', {className: 'lc-ev-meta', text: fmt(S.submittedOn, {date: item.submittedAt})}));
        li.appendChild(badge(item));
        li.appendChild(pointsTable(item));
        if (item.flags.length) {
            var flags = el('div', {className: 'lc-ev-flags', role: 'note'}, [el('p', {text: S.flags})]);
            var list = el('ul');
            item.flags.forEach(function (flag) { list.appendChild(el('li', {text: flag})); });
            flags.appendChild(list);
            li.appendChild(flags);
        }
        li.appendChild(details(item));
        li.appendChild(history(item));
        if (item.own) {
            li.appendChild(el('p', {className: 'lc-ev-note', text: S.ownDeclaration}));
        } else if (['submitted', 'changes_requested', 'approved'].indexOf(item.status) >= 0) {
            li.appendChild(reviewForm(item));
        }
        return li;
    }

    /* Where the learner stands on every indicator in the declaration's period: what counts, and the room left. */
    function pointsTable(item) {
        var box = el('details', {className: 'lc-ev-points'}, [el('summary', {text: fmt(S.learnerPoints, {period: item.period})})]);
        var table = el('table');
        table.appendChild(el('thead', {}, [el('tr', {}, [
            el('th', {scope: 'col', text: S.pointsIndicator}), el('th', {scope: 'col', text: S.pointsCounted}),
            el('th', {scope: 'col', text: S.pointsRoom})])]));
        var body = el('tbody');
        item.points.forEach(function (row) {
            var tr = el('tr', row.declared ? {className: 'lc-ev-declared'} : {}, [
                el('th', {scope: 'row', text: row.declared ? fmt(S.declaredHere, {code: row.code}) : row.code}),
                el('td', {text: fmt(S.pointsOf, {points: row.points, maximum: row.max})}),
                el('td', {text: row.room})]);
            body.appendChild(tr);
        });
        table.appendChild(body);
        box.appendChild(table);
        return box;
    }

    function standingOn(item, code) {
        for (var i = 0; i < item.points.length; i += 1) {
            if (item.points[i].code === code) { return item.points[i]; }
        }
        return {code: code, points: '0', max: '0', room: '0'};
    }

    function reviewForm(item) {
        var idPrefix = prefix + '-r-' + item.id;
        var box = el('form', {className: 'lc-ev-review', novalidate: 'novalidate', 'data-id-prefix': idPrefix});
        box.appendChild(el('h5', {className: 'lc-ev-review-heading', text: fmt(S.reviewFor, {title: item.title})}));
        var errors = el('div', {className: 'lc-ev-errors', role: 'alert', tabindex: '-1', hidden: 'hidden'}, [el('h5'), el('ul')]);
        box.appendChild(errors);
        if (item.status === 'submitted') {
            item.indicators.forEach(function (code) {
                var id = idPrefix + '-points-' + code;
                var standing = standingOn(item, code);
                var values = {code: code, period: item.period, points: standing.points, maximum: standing.max, room: item.remaining[code]};
                var full = Number(item.remaining[code]) <= 0;
                box.appendChild(el('div', {className: 'lc-ev-field'}, [
                    el('label', {'for': id, text: fmt(S.pointsFor, {code: code, maximum: item.remaining[code]})}),
                    el('p', {className: full ? 'lc-ev-hint lc-ev-full' : 'lc-ev-hint', id: id + '-hint', text: fmt(full ? S.fullHint : S.roomHint, values)}),
                    el('p', {className: 'lc-ev-error', id: id + '-error', hidden: 'hidden'}),
                    el('input', {type: 'text', inputmode: 'decimal', id: id, 'data-points': code, 'aria-describedby': id + '-hint ' + id + '-error'})
                ]));
            });
        }
        var reasonId = idPrefix + '-reason';
        box.appendChild(el('div', {className: 'lc-ev-field'}, [
            el('label', {'for': reasonId, text: S.reason}),
            el('p', {className: 'lc-ev-error', id: reasonId + '-error', hidden: 'hidden'}),
            el('textarea', {id: reasonId, rows: '2', 'aria-describedby': reasonId + '-error'})
        ]));
        var actions = el('div', {className: 'lc-ev-actions'});
        var choices = item.status === 'submitted' ? [['approve', S.approve], ['request_changes', S.requestChanges], ['reject', S.reject]]
            : item.status === 'changes_requested' ? [['reject', S.reject]] : [['revoke', S.revoke]];
        choices.forEach(function (choice) {
            var button = el('button', {type: 'button', 'data-action': choice[0], text: choice[1]});
            button.addEventListener('click', function () { decide(item, box, choice[0]); });
            actions.appendChild(button);
        });
        box.appendChild(actions);
        return box;
    }

    function decide(item, box, action) {
        clearErrors(box);
        var points = {};
        box.querySelectorAll('input[data-points]').forEach(function (input) { points[input.getAttribute('data-points')] = input.value; });
        var body = {declaration: item.id, action: action, revision: item.revision,
                    reason: box.querySelector('textarea').value, points: action === 'approve' ? points : {}};
        box.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
        call('review', body).then(function (result) {
            box.querySelectorAll('button').forEach(function (button) { button.disabled = false; });
            if (!result.ok) { showErrors(box, result.data); return; }
            loadQueue().then(function () { announce(result.data.message); });
        });
    }

    if (filters) {
        filters.addEventListener('submit', function (event) { event.preventDefault(); loadQueue(); });
    }

    loadMine();
    loadQueue();
}
