"""
The evidence block's interface text, marked for translation and translated where it is shown: the
labels of statuses, history actions and form fields, the strings the browser script shows, and
those of the page template.
"""
from xblocks.criteria.problems import N_

STATUS_LABELS = {
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "withdrawn": N_("Withdrawn"),
    "revoked": N_("Revoked"),
}
ACTION_LABELS = {
    "submit": N_("Submitted"),
    "edit": N_("Edited and resubmitted"),
    "withdraw": N_("Withdrawn by the learner"),
    "approve": N_("Approved"),
    "request_changes": N_("Changes requested"),
    "reject": N_("Rejected"),
    "revoke": N_("Approval revoked"),
}
FIELD_LABELS = {
    "indicators": N_("Indicators"),
    "kind": N_("Kind of activity"),
    "title": N_("Name of the activity"),
    "activity_date": N_("Date"),
    "hours": N_("Hours"),
    "description": N_("What you did and learned"),
    "links": N_("Links"),
    "files": N_("Files"),
    "reason": N_("Reason"),
    "points": N_("Points"),
}
# Interface text for the browser, translated on the server (no JavaScript catalogue to keep in step).
UI_STRINGS = {
    "errorSummary": N_("There is a problem"),
    "saved": N_("Your declaration was submitted for review."),
    "updated": N_("Your changes were saved and the declaration is back in the review queue."),
    "withdrawn": N_("The declaration was withdrawn."),
    "confirmWithdraw": N_("Withdraw this declaration? If it was approved, its points are taken back."),
    "edit": N_("Edit"),
    "withdraw": N_("Withdraw"),
    "cancelEdit": N_("Cancel editing"),
    "editing": N_("Editing: {title}"),
    "declareHeading": N_("Declare a learning activity"),
    "submit": N_("Submit for review"),
    "saveChanges": N_("Save and resubmit"),
    "none": N_("You have not declared anything here yet."),
    "queueEmpty": N_("Nothing matches these filters."),
    "status": N_("Status"),
    "reviewerSays": N_("Reviewer's reason"),
    "awarded": N_("Points awarded"),
    "indicator": N_("Indicator {code}"),
    "hoursValue": N_("{hours} hours"),
    "files": N_("Files"),
    "links": N_("Links"),
    "keepFile": N_("Keep {name}"),
    "history": N_("History"),
    "learner": N_("Learner"),
    "approve": N_("Approve"),
    "requestChanges": N_("Request changes"),
    "reject": N_("Reject"),
    "revoke": N_("Revoke approval"),
    "reason": N_("Reason (the learner reads it)"),
    "pointsFor": N_("Points for indicator {code} (at most {maximum})"),
    "decided": N_("Decision recorded: {status}."),
    "ownDeclaration": N_("This is your own declaration: another reviewer must decide on it."),
    "flags": N_("Check before deciding"),
    "loading": N_("Loading…"),
    "networkError": N_("The request could not be completed. Check your connection and try again."),
    "filesNote": N_("Files already attached"),
    "kind": N_("Kind of activity"),
    "date": N_("Date"),
    "description": N_("Description"),
    "open": N_("Open"),
    "sizeKB": N_("{size} KB"),
    "reviewFor": N_("Decide on \"{title}\""),
    # The reviewer's desk: who the learner is and where they stand on each indicator.
    "unnamedLearner": N_("A learner this site has no name for"),
    "submittedOn": N_("Submitted on {date}"),
    "learnerPoints": N_("The learner's points per indicator in {period}"),
    "pointsIndicator": N_("Indicator"),
    "pointsCounted": N_("Points that count"),
    "pointsRoom": N_("Room left"),
    "pointsOf": N_("{points} of {maximum}"),
    "declaredHere": N_("{code} (in this declaration)"),
    "roomHint": N_("The learner has {points} of {maximum} points on indicator {code} in {period}: at most {room} more can count."),
    "fullHint": N_("Indicator {code} is full for this learner in {period} ({points} of {maximum}): points given here would not count."),
    # Checked in the browser before sending, so a request the platform or proxy would cut off is never sent.
    "fileTooLarge": N_("\"{name}\" is too large: files can be at most {size}."),
    "filesTooLarge": N_("Together the files are too large to send at once: at most {size} in one submission. "
                        "Attach fewer now and add the others by editing the declaration afterwards."),
    # The platform or the proxy answered 413 (its own message is English and not about this form).
    "requestTooLarge": N_("The files are too large for this site to receive. Send fewer or smaller files."),
}
# Said to course staff and authors (Studio, the review queue) when uploads are refused for want of storage.
UPLOADS_OFF_FOR_STAFF = N_("File uploads are off until an administrator configures private storage for evidence "
                           "(the \"learning_citizen_evidence\" storage, see the administrator guide). "
                           "Learners can still declare with links.")
# The page template's text (templates/evidence.html).
TEMPLATE_STRINGS = {
    "declare_heading": N_("Declare a learning activity"),
    "required": N_("All fields are required except links and files; give at least one file or link."),
    "indicators_legend": N_("Indicators this activity supports"),
    "kind": N_("Kind of activity"),
    "choose": N_("Choose…"),
    "title": N_("Name of the activity"),
    "title_hint": N_("For example: Office IT course at the community learning centre."),
    "activity_date": N_("Date"),
    "hours": N_("Hours"),
    "description": N_("What you did and learned"),
    "files": N_("Files"),
    "links": N_("Links"),
    "submit": N_("Submit for review"),
    "cancel_edit": N_("Cancel editing"),
    "mine_heading": N_("Your declarations"),
    "queue_heading": N_("Review queue"),
    "filter_status": N_("Status"),
    "filter_indicator": N_("Indicator"),
    "filter_kind": N_("Kind"),
    "filter_search": N_("Search names and descriptions"),
    "filter_from": N_("Submitted from"),
    "filter_to": N_("Submitted until"),
    "desk_intro": N_("Declarations learners sent to this block, oldest first, with each learner's points on the indicators. "
                     "The learner reads the reason you give."),
    "to_own": N_("Go to your own declarations"),
    "filter_apply": N_("Show"),
    "all": N_("All"),
    "sign_in": N_("Sign in to declare your learning."),
}
