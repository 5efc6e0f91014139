from django.urls import path

from utsikt.reporting import views

app_name = "reporting"

urlpatterns = [
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger.<str:fmt>", views.ledger_export, name="ledger_export"),
    path("budget/", views.budget_page, name="budget"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/<slug:slug>.<str:fmt>", views.chart_export, name="chart_export"),
    path("eu/", views.eu_page, name="eu"),
    path("eu/import.<str:fmt>", views.eu_file, name="eu_file"),
    path("late/", views.late_page, name="late"),
]
