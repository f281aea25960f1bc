"""Declared workflows and the one service that moves a record through its states.

A model with a workflow has a status field with choices and a table of allowed moves,
`TRANSITIONS = {from: {to, …}}`, and declares it once in its app's permissions.py:

    workflow.declare(Complaint, Workflow(transitions=Complaint.TRANSITIONS, permission=can_move_complaint))

Every change of state goes through `transition()`, which

1. locks the row (SELECT … FOR UPDATE) and reads its state afresh,
2. refuses a move when the record is no longer in the state the actor saw (another user,
   or a worker, moved it first), a move the table does not allow, or an actor the
   workflow's permission does not allow — each with a clear Chinese message,
3. writes the new state, any fields that go with it, and a StatusChange row (from, to,
   who, when, note) in the same transaction, so the record and its history agree,
4. runs side effects (mail, tasks) only after the transaction commits.

Nothing else assigns a workflow's status field.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from bureau.errors import DomainError
from bureau.models import StatusChange


class WorkflowError(DomainError):
    """A move that may not happen: illegal, not allowed for the actor, or overtaken."""


class ConcurrentMove(WorkflowError):
    """The record left the state the actor saw before the move could be made."""


@dataclass(frozen=True)
class Workflow:
    """transitions   {from state: {to states}}
    field         the status field
    permission    callable(user, instance, target) -> bool; None: any actor. `user` is
                  None for the portal itself (a Celery task).
    """

    transitions: dict
    field: str = "status"
    permission: object = None

    def allows(self, source, target):
        return target in self.transitions.get(source, ())

    def targets(self, source):
        return set(self.transitions.get(source, ()))


_WORKFLOWS = {}


def declare(model, workflow):
    states = {value for value, _label in model._meta.get_field(workflow.field).choices}
    for source, targets in workflow.transitions.items():
        unknown = ({source} | set(targets)) - states
        if unknown:
            raise ValueError(f"{model.__name__}: states {sorted(unknown)} are not choices of {workflow.field}")
    _WORKFLOWS[model._meta.concrete_model] = workflow
    return workflow


def workflow_for(model):
    return _WORKFLOWS.get(model._meta.concrete_model)


def state_label(model, value):
    """The display label of a state (its Chinese name in the portal)."""
    workflow = workflow_for(model)
    field = model._meta.get_field(workflow.field if workflow else "status")
    return str(dict(field.flatchoices).get(value, value))


def can_move(user, instance, target):
    """Whether `user` may move `instance` to `target` now (for showing buttons)."""
    workflow = workflow_for(type(instance))
    source = getattr(instance, workflow.field)
    if not workflow.allows(source, target):
        return False
    return workflow.permission is None or bool(workflow.permission(user, instance, target))


def transition(instance, *, to, by, note="", expected=None, fields=None, after=None):
    """Move `instance` to the state `to`; return the record as saved (locked, fresh).

    expected  the state the actor saw (default: the instance's state as loaded). If the
              record has left it meanwhile, ConcurrentMove says so instead of acting on
              a record the actor has not seen.
    fields    other field values that change with the move (who confirmed, when…).
    after     callable run once the transaction commits (tasks, mail).
    """
    model = type(instance)
    workflow = workflow_for(model)
    if workflow is None:
        raise WorkflowError(_("%(model)s has no workflow.") % {"model": model._meta.verbose_name})
    expected = getattr(instance, workflow.field) if expected is None else expected
    with transaction.atomic():
        locked = model._base_manager.select_for_update().get(pk=instance.pk)
        source = getattr(locked, workflow.field)
        if source != expected:
            raise ConcurrentMove(
                _("%(record)s was changed by someone else meanwhile: it is now “%(now)s”. "
                  "Reload the page and try again.")
                % {"record": locked, "now": state_label(model, source)}
            )
        if not workflow.allows(source, to):
            raise WorkflowError(
                _("%(record)s cannot go from “%(from)s” to “%(to)s”.")
                % {"record": locked, "from": state_label(model, source), "to": state_label(model, to)}
            )
        if workflow.permission is not None and not workflow.permission(by, locked, to):
            raise WorkflowError(
                _("You may not move %(record)s to “%(to)s”.") % {"record": locked, "to": state_label(model, to)}
            )
        setattr(locked, workflow.field, to)
        update_fields = [workflow.field]
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        StatusChange.objects.create(
            actor=by if by is not None and by.is_authenticated else None,
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
            object_id=str(locked.pk),
            from_status=source,
            to_status=to,
            note=note,
        )
        if after is not None:
            transaction.on_commit(after)
    return locked


def status_history(*, instance, limit=50):
    """The StatusChange rows of one record, newest first, with the actor loaded."""
    return list(
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
            object_id=str(instance.pk),
        ).select_related("actor").order_by("-at", "-id")[:limit]
    )
