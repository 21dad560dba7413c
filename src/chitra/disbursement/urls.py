from django.urls import path

from chitra.disbursement import views

urlpatterns = [
    path("", views.cycle_list_view, name="cycle_list"),
    path("new/", views.cycle_create_view, name="cycle_create"),
    path("pay-schedule/", views.pay_schedule_view, name="pay_schedule"),
    path("<int:pk>/", views.cycle_detail_view, name="cycle_detail"),
    path("<int:pk>/pay-dates/", views.cycle_pay_dates_view, name="cycle_pay_dates"),
    path("<int:pk>/freeze/", views.cycle_freeze_view, name="cycle_freeze"),
    path("<int:pk>/compute/", views.cycle_compute_view, name="cycle_compute"),
    path("<int:pk>/approve/", views.cycle_approve_view, name="cycle_approve"),
    path("<int:pk>/release/", views.cycle_release_view, name="cycle_release"),
    path("<int:pk>/results/", views.cycle_results_view, name="cycle_results"),
    path("<int:pk>/statements/", views.cycle_statement_view, name="cycle_statement"),
    path(
        "<int:pk>/batches/<int:batch_pk>/g2p-send/",
        views.batch_g2p_view,
        {"what": "send"},
        name="batch_g2p_send",
    ),
    path(
        "<int:pk>/batches/<int:batch_pk>/g2p-status/",
        views.batch_g2p_view,
        {"what": "status"},
        name="batch_g2p_status",
    ),
    path("<int:pk>/reconcile/", views.cycle_reconcile_view, name="cycle_reconcile"),
    path("<int:pk>/close/", views.cycle_close_view, name="cycle_close"),
    path("<int:pk>/lines/", views.line_list_view, name="cycle_lines"),
    path("<int:pk>/exclusions.xlsx", views.exclusions_xlsx_view, name="cycle_exclusions"),
    path("lines/<int:pk>/", views.line_detail_view, name="payroll_line"),
    path("lines/<int:pk>/cancel/", views.line_cancel_view, name="payroll_line_cancel"),
    path("lines/<int:pk>/pay-again/", views.line_pay_again_view, name="payroll_line_pay_again"),
    path("files/<int:pk>/", views.file_download_view, name="payment_file"),
    path("<int:pk>/files.zip", views.cycle_files_zip_view, name="cycle_files_zip"),
    path("return-reasons/", views.return_reasons_view, name="return_reasons"),
]
