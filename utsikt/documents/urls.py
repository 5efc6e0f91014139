from django.urls import path

from utsikt.documents import views

app_name = "documents"

urlpatterns = [
    path("documents/<int:pk>/", views.agreement, name="agreement"),
    path("documents/<int:pk>/prepare", views.prepare, name="prepare"),
    path("documents/<int:pk>/sign", views.sign, name="sign"),
    path("documents/<int:pk>/invite", views.invite_host, name="invite_host"),
    path("documents/<int:pk>/scan", views.upload_scan, name="upload_scan"),
    path(
        "documents/<int:pk>/agreement-v<int:number>.pdf",
        views.version_pdf,
        name="version_pdf",
    ),
    path(
        "documents/<int:pk>/sealed/<int:document>.pdf",
        views.sealed_pdf,
        name="sealed_pdf",
    ),
    path("documents/<int:pk>/letters/", views.letters, name="letters"),
    path("documents/<int:pk>/letters/<int:letter>/send", views.letter_send, name="letter_send"),
    path("documents/<int:pk>/letters/<int:letter>/step", views.letter_step, name="letter_step"),
    path("host/sign/<str:token>/", views.host_sign, name="host_sign"),
    path("host/sign/<str:token>/agreement.pdf", views.host_pdf, name="host_pdf"),
    path("host/attendance/<str:token>/", views.host_attendance, name="host_attendance"),
    path("verify/", views.verify, name="verify"),
]
