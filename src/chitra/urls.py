from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from chitra.core import views as core_views
from chitra.registry import views as registry_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("beneficiaries/", registry_views.beneficiary_list_view, name="beneficiary_list"),
    path("beneficiaries/<int:pk>/", registry_views.beneficiary_detail_view,
         name="beneficiary_detail"),
    path("imports/beneficiaries/", registry_views.import_view, name="beneficiary_import"),
    path("jobs/<int:pk>/", core_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/errors.xlsx", core_views.job_errors, name="job_errors"),
    path("audit/", core_views.audit_list, name="audit_list"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("chitra.api_urls")),
    path("django-admin/", admin.site.urls),
]
