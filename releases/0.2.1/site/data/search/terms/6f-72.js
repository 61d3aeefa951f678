NC.data("search/terms/6f-72",{"ordered":[39,42,70,115,128,270,280],"organization":[31,140,175,258,276]});
