NC.data("search/terms/6f-77",{"own":[249]});
