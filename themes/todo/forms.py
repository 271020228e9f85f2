"""Forms for the HTML pages. They only parse and present input: the rules live in the
models' constraints and services.py, whose ValidationErrors are attached back to the form.
None of them offers a team or a list to choose: the team is the request's (request.team),
and the list is the one in the URL, looked up in that team (selectors.py)."""

from django import forms

from .models import Task, TodoList


class ListForm(forms.ModelForm):
    class Meta:
        model = TodoList
        fields = ["name"]
        labels = {"name": "List name"}
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "e.g. Launch checklist"}),
        }

    def validate_constraints(self):
        # The team is not a form field, so the per-team unique name is checked by the
        # service (model.full_clean) instead of here.
        pass


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due_date", "priority"]
        labels = {"title": "Task", "due_date": "Due", "priority": "Priority"}
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "What needs doing?"}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def validate_constraints(self):
        pass


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
