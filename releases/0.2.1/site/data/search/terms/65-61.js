NC.data("search/terms/65-61",{"earlier":[40,216,277,278],"east":[14,87,147,202,280]});
