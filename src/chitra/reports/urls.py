from django.urls import path

from chitra.reports import views

urlpatterns = [
    path("", views.dashboard_view, name="report_dashboard"),
    path("refresh/", views.refresh_view, name="report_refresh"),
    path("indicators/", views.catalogue_view, name="report_catalogue"),
    path("targets/", views.targets_view, name="report_targets"),
    path("issued/", views.issued_view, name="report_issued"),
    path("issued/<int:pk>/reissue/", views.reissue_view, name="report_reissue"),
    path("issued/<int:pk>/<str:fmt>/", views.issued_file_view, name="report_issued_file"),
    path("plan/", views.plan_view, name="report_plan"),
]
