from django.urls import path

from chitra.privacy import views

urlpatterns = [
    path("", views.home_view, name="privacy_home"),
    path("find/", views.find_view, name="privacy_find"),
    path("subjects/<int:pk>/", views.subject_view, name="privacy_subject"),
    path("subjects/<int:pk>/export.<str:fmt>", views.export_view, name="privacy_export"),
    path("requests/<int:pk>/", views.request_view, name="privacy_request"),
    path("corrections/", views.correction_list_view, name="privacy_corrections"),
    path(
        "corrections/<int:pk>/decide/",
        views.correction_decide_view,
        name="privacy_correction_decide",
    ),
    path("breaches/", views.breach_list_view, name="privacy_breaches"),
    path("breaches/new/", views.breach_new_view, name="privacy_breach_new"),
    path("breaches/<int:pk>/", views.breach_detail_view, name="privacy_breach"),
    path("retention/", views.retention_view, name="privacy_retention"),
]
