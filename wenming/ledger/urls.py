from django.urls import path

from wenming.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.my_ledger, name="mine"),
    path("campaign/<int:pk>/", views.campaign_ledger, name="campaign"),
    path("campaign/<int:pk>/items/", views.item_list, name="items"),
    path("campaign/<int:pk>/new/", views.item_new_for_campaign, name="new_for_campaign"),
    path("campaign/<int:pk>/review/", views.review_queue, name="review"),
    path("campaign/<int:pk>/bin/", views.recycle_bin, name="bin"),
    path("campaign/<int:pk>/archive/", views.archive, name="archive"),
    path("campaign/<int:pk>/archive/year/", views.archive_year, name="archive_year"),
    path("campaign/<int:pk>/archive/reopen/", views.unarchive_year, name="unarchive_year"),
    path("task/<int:task_id>/", views.dossier, name="dossier"),
    path("task/<int:task_id>/new/", views.item_new, name="new"),
    path("item/<int:pk>/", views.item_detail, name="item"),
    path("item/<int:pk>/edit/", views.item_edit, name="edit"),
    path("item/<int:pk>/files/", views.item_add_files, name="add_files"),
    path("item/<int:pk>/resubmit/", views.item_resubmit, name="resubmit"),
    path("item/<int:pk>/approve/", views.item_approve, name="approve"),
    path("item/<int:pk>/return/", views.item_return, name="return"),
    path("item/<int:pk>/remove/", views.item_remove, name="remove"),
    path("item/<int:pk>/restore/", views.item_restore, name="restore"),
    path("item/<int:pk>/purge/", views.item_purge, name="purge"),
    path("file/<int:pk>/", views.file_download, name="file"),
    path("file/<int:pk>/thumb/", views.file_thumb, name="thumb"),
    path("file/<int:pk>/remove/", views.file_remove, name="file_remove"),
]
