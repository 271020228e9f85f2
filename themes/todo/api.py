"""The lists and tasks API, mounted at /api/v1/ by urls.py (projects with the api module).

The same rules as the pages: every endpoint acts in the current team (request.team: the
session's team, or the API key's), reads go through selectors.py (another team's list or
task is a 404), writes through services.py (validation, the plan's list limit). Members whose
role does not allow selectors.LISTS_PERMISSION get 403. Serializers only shape JSON. A
service's ValidationError becomes a 400 with field errors in the api module's exception
handler, so no method here catches it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings

from quickscale_core import teams
from quickscale_core.drf_permissions import HasTeamPermission

from . import selectors, services
from .models import Task, TodoList


class TeamScoped:
    """For the viewsets: the current team is where every read and write happens.

    request.team comes from quickscale_core's middleware for session requests (and from the
    api module for a key that names its team). A request authenticated by DRF alone (an API
    key of a project whose keys carry no team) acts in the user's team as the session would
    choose it: their personal team.
    """

    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, HasTeamPermission]
    team_permission = selectors.LISTS_PERMISSION

    def check_permissions(self, request):
        # After authentication, before the permission classes read the team.
        if getattr(request, "team", None) is None and request.user.is_authenticated:
            request._request.team = teams.current_team(request._request)
        super().check_permissions(request)


class PlanLimitReached(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "plan_limit"
    default_detail = "Your plan allows no more lists."


# The largest id a database integer column holds (BigAutoField, SQLite's INTEGER).
MAX_ID = 2**63 - 1


def _list_id(value: str) -> int:
    """The ?list= filter as a list id, or a 400. ASCII digits only: "²".isdigit() is True
    but int() refuses it, and numbers beyond MAX_ID overflow SQLite."""
    if not (value.isascii() and value.isdigit() and len(value) <= 19 and int(value) <= MAX_ID):
        raise exceptions.ValidationError({"list": ["A list id is a whole number."]})
    return int(value)


class TodoListSerializer(serializers.ModelSerializer):
    open_count = serializers.IntegerField(read_only=True)
    done_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(
        read_only=True, help_text="Open tasks whose due date has passed."
    )

    class Meta:
        model = TodoList
        fields = [
            "id",
            "name",
            "open_count",
            "done_count",
            "overdue_count",
            "created_at",
            "updated_at",
        ]
        # The per-team unique name is checked by services.create_list/rename_list.
        validators = []


class TaskSerializer(serializers.ModelSerializer):
    list = serializers.PrimaryKeyRelatedField(
        source="todo_list",
        queryset=TodoList.unscoped.none(),
        help_text="The id of one of your team's lists.",
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "list",
            "title",
            "done",
            "completed_at",
            "due_date",
            "priority",
            "position",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["completed_at", "position", "created_at", "updated_at"]
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        # Only the current team's lists are valid targets; another team's list id is
        # answered like an id that does not exist.
        team = getattr(request, "team", None) if request is not None else None
        if team is not None:
            fields["list"].queryset = TodoList.objects.for_team(team)
        return fields


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class TodoSummarySerializer(serializers.Serializer):
    """Totals across the team's lists (the dashboard card) and the plan's list limit."""

    lists = serializers.IntegerField(help_text="How many lists your team has.")
    list_limit = serializers.IntegerField(
        allow_null=True, help_text="How many lists the team's plan allows; null when unlimited."
    )
    open = serializers.IntegerField(help_text="Open tasks.")
    due_today = serializers.IntegerField(help_text="Open tasks due today.")
    overdue = serializers.IntegerField(help_text="Open tasks whose due date has passed.")
    done = serializers.IntegerField(help_text="Completed tasks.")


@extend_schema_view(
    list=extend_schema(summary="Your team's lists, with task counts", tags=["todo"]),
    create=extend_schema(
        summary="Create a list",
        description="Answers 403 with code `plan_limit` when your plan allows no more lists.",
        tags=["todo"],
    ),
    retrieve=extend_schema(summary="One of your team's lists", tags=["todo"]),
    update=extend_schema(summary="Rename a list", tags=["todo"]),
    partial_update=extend_schema(summary="Rename a list", tags=["todo"]),
    destroy=extend_schema(summary="Delete a list and its tasks", tags=["todo"]),
)
class TodoListViewSet(TeamScoped, viewsets.ModelViewSet):
    serializer_class = TodoListSerializer
    # Any id reaches the view, so "/lists/abc/" is the API's JSON 404, not Django's HTML one.
    lookup_value_regex = r"[^/]+"
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return TodoList.unscoped.none()
        return selectors.lists_for(self.request.team)

    def perform_create(self, serializer):
        try:
            created = services.create_list(
                self.request.team, self.request.user, name=serializer.validated_data["name"]
            )
        except services.ListLimitReached as exc:
            raise PlanLimitReached(str(exc)) from exc
        # Read back through the selector for the counts.
        serializer.instance = selectors.list_for(self.request.team, created.pk)

    def perform_update(self, serializer):
        todo_list = serializer.instance
        if "name" in serializer.validated_data:
            services.rename_list(
                self.request.team, todo_list, name=serializer.validated_data["name"]
            )
        serializer.instance = selectors.list_for(self.request.team, todo_list.pk)

    def perform_destroy(self, instance):
        services.delete_list(self.request.team, instance)

    @extend_schema(
        summary="Totals across your team's lists, and how many lists your plan allows",
        tags=["todo"],
    )
    @action(
        detail=False,
        methods=["get"],
        serializer_class=TodoSummarySerializer,
        pagination_class=None,
        filter_backends=[],
    )
    def summary(self, request):
        totals = selectors.overview_for(request.team)
        totals["list_limit"] = selectors.list_limit(request.team)
        return Response(TodoSummarySerializer(totals).data)


@extend_schema_view(
    list=extend_schema(
        summary="Your team's tasks",
        parameters=[
            OpenApiParameter("list", OpenApiTypes.INT, description="Only the tasks of this list."),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=list(selectors.STATUSES),
                description="open, done, overdue (open and past due) or all (the default).",
            ),
        ],
        tags=["todo"],
    ),
    create=extend_schema(summary="Add a task at the end of a list", tags=["todo"]),
    retrieve=extend_schema(summary="One of your team's tasks", tags=["todo"]),
    update=extend_schema(summary="Change a task", tags=["todo"]),
    partial_update=extend_schema(
        summary="Change a task",
        description="Setting `done` records or clears `completed_at`.",
        tags=["todo"],
    ),
    destroy=extend_schema(summary="Delete a task", tags=["todo"]),
)
class TaskViewSet(TeamScoped, viewsets.ModelViewSet):
    serializer_class = TaskSerializer
    lookup_value_regex = r"[^/]+"
    search_fields = ["title"]
    ordering_fields = ["position", "due_date", "priority", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Task.objects.none()
        params = self.request.query_params
        task_filter = selectors.TaskFilter.from_query({"status": params.get("status", "all")})
        tasks = selectors.tasks_for(self.request.team, task_filter=task_filter)
        list_id = params.get("list")
        if list_id is not None and self.action == "list":
            tasks = tasks.filter(todo_list_id=_list_id(list_id))
        return tasks

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        todo_list = data.pop("todo_list")
        serializer.instance = services.add_task(self.request.team, todo_list, **data)

    def perform_update(self, serializer):
        services.update_task(self.request.team, serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_task(self.request.team, instance)

    @extend_schema(
        summary="Move a task up or down among its list's open (or done) tasks",
        request=MoveSerializer,
        responses=TaskSerializer,
        tags=["todo"],
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        task = self.get_object()
        move = MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        services.move_task(request.team, task, move.validated_data["direction"])
        return Response(self.get_serializer(task).data)


router = SimpleRouter()
router.register("lists", TodoListViewSet, basename="api_todo_list")
router.register("tasks", TaskViewSet, basename="api_todo_task")

urlpatterns = router.urls
