from django.urls import path

from chitra.outreach import views

urlpatterns = [
    path("", views.campaign_list_view, name="outreach_campaigns"),
    path("new/", views.campaign_new_view, name="outreach_campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail_view, name="outreach_campaign"),
    path(
        "campaigns/<int:pk>/assignments/",
        views.campaign_assignments_view,
        name="outreach_assignments",
    ),
    path("campaigns/<int:pk>/assign/", views.assign_view, name="outreach_assign"),
    path("my/", views.my_work_view, name="outreach_my_work"),
    path("assignments/<int:pk>/", views.assignment_view, name="outreach_assignment"),
    path("id-cards/", views.id_cards_view, name="outreach_id_cards"),
    path("death-reports/", views.death_reports_view, name="outreach_death_reports"),
    path(
        "death-reports/check/", views.death_reports_check_view, name="outreach_death_reports_check"
    ),
]
