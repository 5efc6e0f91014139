from django.urls import path

from utsikt.mobility import homecoming_views, views

app_name = "mobility"

urlpatterns = [
    path("my/", views.staff_home, name="staff_home"),
    path("manager/", views.manager_home, name="manager_home"),
    path("office/", views.office_home, name="office_home"),
    path("finance/", views.finance_home, name="finance_home"),
    path("mobility/new/", views.start, name="application_start"),
    path("mobility/together/", views.together, name="travelling_together"),
    path("mobility/host-options/", views.host_options, name="host_options"),
    path("mobility/<int:pk>/", views.detail, name="application_detail"),
    path("mobility/<int:pk>/plan/", views.plan, name="application_plan"),
    path("mobility/<int:pk>/autosave/", views.autosave, name="application_autosave"),
    path("mobility/<int:pk>/agreement.pdf", views.agreement, name="application_agreement"),
    path("mobility/<int:pk>/invite/", views.invite, name="application_invite"),
    path("mobility/<int:pk>/dates/", views.correct_dates, name="application_dates"),
    path("mobility/<int:pk>/shared/", views.shared_plan, name="shared_plan"),
    # After the trip: before the catch-all action route, which would take their names.
    path("mobility/<int:pk>/after/dates/", homecoming_views.dates, name="homecoming_dates"),
    path(
        "mobility/<int:pk>/after/attendance/",
        homecoming_views.attendance,
        name="homecoming_attendance",
    ),
    path("mobility/<int:pk>/after/costs/", homecoming_views.costs, name="homecoming_costs"),
    path(
        "mobility/<int:pk>/after/participant-report/",
        homecoming_views.participant_report,
        name="homecoming_participant_report",
    ),
    path(
        "mobility/<int:pk>/after/learning/", homecoming_views.learning, name="homecoming_learning"
    ),
    path("mobility/<int:pk>/money/cost/", homecoming_views.actual_cost, name="money_cost"),
    path(
        "mobility/<int:pk>/money/reimbursement/",
        homecoming_views.reimbursement,
        name="money_reimbursement",
    ),
    path("mobility/<int:pk>/<slug:action>/", views.act, name="application_act"),
    path("invitations/<int:pk>/", views.answer, name="invitation_answer"),
]
