NC.data("search/terms/64-6f",{"donald":[17,70,115,270,280]});
